/** A spec value short enough to be a column: molecules, scripts and other long or multi-line text are not. */
const SHORT_TEXT = 80;

/**
 * The scalar inputs of a job's spec by dotted path ("qc.method": "GFN2-xTB", "resources.tasks": 1),
 * leaving out long or multi-line text (the molecule, a script: the job's name stands for them) and
 * file lists. These are the candidates for an export's "inputs that vary" columns.
 */
export function specInputs(
  spec: unknown,
  prefix = '',
  out: Record<string, string | number | boolean | null> = {},
): Record<string, string | number | boolean | null> {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) return out;
  for (const [key, value] of Object.entries(spec as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value === null || typeof value === 'number' || typeof value === 'boolean') out[path] = value;
    else if (typeof value === 'string') {
      if (value.length <= SHORT_TEXT && !/[\r\n]/.test(value)) out[path] = value;
    } else if (!Array.isArray(value)) specInputs(value, path, out);
  }
  return out;
}

/** Tracks, over many specs, which input paths take more than one value (absent counts as a value). */
export class VaryingInputs {
  private readonly firstValue = new Map<string, string>();
  private readonly varying = new Set<string>();
  private seen = 0;

  add(spec: unknown): void {
    const inputs = specInputs(spec);
    for (const [path, value] of Object.entries(inputs)) {
      const text = JSON.stringify(value);
      const before = this.firstValue.get(path);
      if (before === undefined) {
        this.firstValue.set(path, text);
        if (this.seen > 0) this.varying.add(path); // absent in an earlier spec
      } else if (before !== text) this.varying.add(path);
    }
    for (const path of this.firstValue.keys()) if (!(path in inputs)) this.varying.add(path);
    this.seen++;
  }

  /** The paths whose value differs between some two specs, in a stable order. */
  paths(): string[] {
    return [...this.varying].sort();
  }
}
