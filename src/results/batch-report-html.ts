import { escapeHtml } from './escape-html';
import type { Plot } from './plots';

export interface BatchRow {
  jobId: string;
  name: string | null;
  /** The job's own labels ({"r_OH": 0.92}), shown as columns after its name. */
  labels: Record<string, number | string>;
  engine: string;
  status: string;
  summary: Record<string, number | string | boolean | null>;
}

const escape = escapeHtml;
const cell = (v: unknown) =>
  v === null || v === undefined ? '—' : escape(typeof v === 'number' ? String(Number(v.toPrecision(10))) : String(v));

/** One table of every job's labels and key numbers in submission order, plus the summary plot. */
export function batchReportHtml(
  report: { batchId: string; name: string | null; stage: string; jobCount: number; finished: number; rows: BatchRow[] },
  plot: Plot | null,
): string {
  const labels = [...new Set(report.rows.flatMap((r) => Object.keys(r.labels)))];
  const keys = [...new Set(report.rows.flatMap((r) => Object.keys(r.summary)))].slice(0, 8);
  const head = ['job', ...labels, 'engine', 'status', ...keys].map((k) => `<th scope="col">${escape(k)}</th>`).join('');
  const body = report.rows
    .map(
      (r) =>
        `<tr><td>${escape(r.name ?? r.jobId)}</td>${labels.map((k) => `<td>${cell(r.labels[k])}</td>`).join('')}<td>${escape(r.engine)}</td><td>${escape(r.status)}</td>${keys.map((k) => `<td>${cell(r.summary[k])}</td>`).join('')}</tr>`,
    )
    .join('\n');
  const title = `Batch ${report.name ?? report.batchId} — ${report.stage} report`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#1b1f24}table{border-collapse:collapse}th,td{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left}svg{max-width:100%;height:auto}</style></head>
<body><h1>${escape(title)}</h1><p>${report.finished} of ${report.jobCount} jobs finished.</p>
${plot ? `<figure><figcaption>${escape(plot.title)}</figcaption>${plot.svg}</figure>` : ''}
<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></body></html>
`;
}
