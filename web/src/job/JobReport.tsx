import type { Report } from '../api';
import { reportPlots } from './reportPlots';

/** A finished job's results, once: each value with its unit, the parser's notes, and every plot inline. */
export function JobReport({ report, reportHtml }: { report: Report; reportHtml: string | null }) {
  const plots = reportPlots(reportHtml);
  const quantities =
    report.quantities ?? Object.entries(report.summary).map(([label, value]) => ({ label, value, unit: null }));
  return (
    <section className="report" aria-label="Results">
      <h2>Results</h2>
      {report.notes.length > 0 && (
        <ul className="notes" aria-label="Notes">
          {report.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {plots.length > 0 && (
        <div className="plots">
          {plots.map((p) => (
            <figure key={p.src}>
              <img src={p.src} alt={p.title} />
            </figure>
          ))}
        </div>
      )}
      <table className="summary">
        <tbody>
          {quantities.map((q, i) => (
            <tr key={`${q.label}-${q.unit ?? ''}-${i}`}>
              <th scope="row">{q.label}</th>
              <td>{q.value === null ? '—' : String(q.value)}</td>
              <td className="unit">{q.unit ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
