import type { Report } from '../api';

/** A finished job's report: each value with its unit, the parser's notes, and its plots (report.html, sandboxed). */
export function JobReport({ report, reportHtml }: { report: Report; reportHtml: string | null }) {
  return (
    <div className="report">
      <h2>Report</h2>
      <table className="summary">
        <tbody>
          {(
            report.quantities ?? Object.entries(report.summary).map(([label, value]) => ({ label, value, unit: null }))
          ).map((q) => (
            <tr key={q.label}>
              <th scope="row">{q.label}</th>
              <td>{q.value === null ? '—' : String(q.value)}</td>
              <td className="unit">{q.unit ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.notes.length > 0 && (
        <ul className="notes">
          {report.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {reportHtml && (
        <iframe
          className="report-frame"
          title={`Report with ${report.plots.length} plot(s)`}
          sandbox=""
          srcDoc={reportHtml}
        />
      )}
    </div>
  );
}
