/** A job's own labels: short names to finite numbers or short text ({"r_OH": 0.92, "conformer": "gauche"}). */
export type JobLabels = Record<string, number | string>;

export const LABELS_MAX = 16;
export const LABEL_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,39}$/;
export const LABEL_TEXT_MAX = 200;

/** The export's own columns and the spec's input paths: a label may not take their names. */
const TAKEN = new Set(['job_id', 'name', 'status', 'engine', 'engine_version', 'error']);
const INPUT_PATH = /^(qc|md|resources)\./;

/** A name as an error message may show it: control characters as '?', at most 60 characters. */
const shown = (name: string) => name.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 60);

/**
 * What is wrong with a job's `labels`, as "labels…: message" naming the label, or null when nothing is:
 * an object of at most LABELS_MAX names (1-40 letters, digits, _ . -, a letter first) to finite numbers or text of at
 * most LABEL_TEXT_MAX printable characters.
 */
export function labelsProblem(labels: unknown): string | null {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels))
    return 'labels: must be an object of names to numbers or short text, e.g. {"r_OH": 0.92}';
  const entries = Object.entries(labels as Record<string, unknown>);
  if (entries.length > LABELS_MAX) return `labels: at most ${LABELS_MAX} labels (got ${entries.length})`;
  for (const [name, value] of entries) {
    const field = `labels.${shown(name)}`;
    if (!LABEL_NAME.test(name))
      return `${field}: a label name is 1-40 letters, digits, _ . or -, starting with a letter`;
    if (TAKEN.has(name) || INPUT_PATH.test(name)) return `${field}: the export has a column of this name already`;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return `${field}: must be a finite number`;
    } else if (typeof value === 'string') {
      if (value.length > LABEL_TEXT_MAX) return `${field}: text of at most ${LABEL_TEXT_MAX} characters`;
      if (/[\u0000-\u001f\u007f]/.test(value)) return `${field}: text without control characters`;
    } else return `${field}: must be a number or text`;
  }
  return null;
}
