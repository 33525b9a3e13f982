import type { BatchRow } from './batch-report-html';

/** The energy a batch's summary plot shows, the first that its jobs report (labels as report-builder writes them). */
const ENERGY_LABELS = ['total energy', 'final SCF energy', 'final TotEng', 'minimised energy'];

/** What a batch's summary plot shows: y against x for each job that reported y as a number. */
export interface BatchPlotData {
  /** The label name on the x axis, or null for the job's position in the submission (1, 2, …). */
  xLabel: string | null;
  /** The summary key ("label (unit)") on the y axis. */
  y: string;
  points: { jobId: string; x: number; y: number }[];
}

/** The summary key ("label (unit)") of the first energy label some job reports as a number. */
function energyKeyOf(rows: BatchRow[]): string | undefined {
  const numericKeys = new Set(
    rows.flatMap((r) => Object.keys(r.summary).filter((k) => typeof r.summary[k] === 'number')),
  );
  for (const label of ENERGY_LABELS) {
    const key = [...numericKeys].find((k) => k === label || k.startsWith(`${label} (`));
    if (key) return key;
  }
  return undefined;
}

/** The first label (in the order the jobs carry them) that every job of the batch has as a number. */
function numericLabelOf(rows: BatchRow[]): string | null {
  const names = new Set(rows.flatMap((r) => Object.keys(r.labels)));
  for (const name of names) if (rows.every((r) => typeof r.labels[name] === 'number')) return name;
  return null;
}

/**
 * The batch plot's data from its rows in submission order: the energy against the first numeric
 * label every job carries (a scan's coordinate), else against the job's position in the submission.
 */
export function batchPlotData(rows: BatchRow[]): BatchPlotData {
  const y = energyKeyOf(rows) ?? 'total energy (Eh)';
  const xLabel = rows.length > 0 ? numericLabelOf(rows) : null;
  const points = rows
    .map((r, i) => ({ jobId: r.jobId, x: xLabel ? (r.labels[xLabel] as number) : i + 1, y: r.summary[y] }))
    .filter((p): p is { jobId: string; x: number; y: number } => typeof p.y === 'number');
  return { xLabel, y, points };
}
