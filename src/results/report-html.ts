import { escapeHtml } from './escape-html';
import type { Report } from './report-builder';

const escape = escapeHtml;

function value(v: number | string | boolean | null): string {
  if (v === null) return '—';
  if (typeof v === 'number')
    return Number.isInteger(v) ? String(v) : v.toPrecision(10).replace(/0+$/, '').replace(/\.$/, '');
  return escape(String(v));
}

/**
 * A self-contained, readable report page: the key numbers, notes (warnings, errors) and the
 * plots as inline SVG (rendered by vega from data, never from user-written markup).
 */
export function reportHtml(report: Report): string {
  const title = `${report.name ?? report.jobId} — ${report.engine} report`;
  const rows = report.quantities
    .map(
      (q) =>
        `<tr><th scope="row">${escape(q.label)}</th><td>${value(q.value)}</td><td>${escape(q.unit ?? '')}</td></tr>`,
    )
    .join('\n');
  const notes = report.notes.length
    ? `<h2>Notes</h2><ul>${report.notes.map((n) => `<li>${escape(n)}</li>`).join('')}</ul>`
    : '';
  const plots = report.plots
    .map((p) => `<figure data-title="${escape(p.title)}">${p.svg}</figure>`) // the plot carries its own title
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse}th,td{padding:.25rem .75rem;border-bottom:1px solid #ddd;text-align:left}
figure{margin:1.5rem 0}svg{max-width:100%;height:auto}</style></head>
<body><h1>${escape(title)}</h1><p>Job <code>${escape(report.jobId)}</code> · ${escape(report.type.toUpperCase())} · ran by ${escape(report.engineVersion ?? 'an engine that printed no version')}</p>
<h2>Results</h2><table><thead><tr><th scope="col">quantity</th><th scope="col">value</th><th scope="col">unit</th></tr></thead><tbody>${rows}</tbody></table>
${notes}
${plots ? `<h2>Plots</h2>${plots}` : ''}
</body></html>
`;
}
