/** A Slurm job state without its decorations ("CANCELLED by 1000" → CANCELLED). */
export type SlurmState = string;

export interface ExitCode {
  code: number;
  signal: number;
}

/**
 * Rows of a delimited listing (squeue -o/--format, sacct --parsable/--parsable2). `columns`
 * names the fields when the output has no header; otherwise the first line is the header.
 * A trailing delimiter (--parsable) and a missing final newline are both fine; a row with
 * more or fewer fields than the header throws DelimitedRowError (never a silent shift).
 */
export function parseDelimited(text: string, delimiter: string, columns?: string[]): Record<string, string>[] {
  const { rows, skipped } = parseDelimitedRows(text, delimiter, columns);
  if (skipped.length > 0) throw skipped[0];
  return rows;
}

/**
 * The same rows, but a row whose field count differs from the header's (a job name or reason holding
 * the delimiter, a cut line) is left out and returned in `skipped` instead of refusing the listing:
 * one odd job must not hide every other job's state. Its fields are never shifted into the others.
 */
export function parseDelimitedRows(
  text: string,
  delimiter: string,
  columns?: string[],
): { rows: Record<string, string>[]; skipped: DelimitedRowError[] } {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const split = (line: string) => {
    const fields = line.split(delimiter);
    if (line.endsWith(delimiter)) fields.pop();
    return fields.map((f) => f.trim());
  };
  const header = columns ?? (lines.length > 0 ? split(lines.shift()!) : []);
  const rows: Record<string, string>[] = [];
  const skipped: DelimitedRowError[] = [];
  lines.forEach((line, i) => {
    const fields = split(line);
    if (fields.length !== header.length) skipped.push(new DelimitedRowError(i + 1, fields.length, header.length, line));
    else rows.push(Object.fromEntries(header.map((name, k) => [name, fields[k]])));
  });
  return { rows, skipped };
}

/** A row whose field count differs from the header's. */
export class DelimitedRowError extends Error {
  constructor(
    readonly row: number,
    readonly fields: number,
    readonly expected: number,
    readonly line: string,
  ) {
    super(`row ${row} has ${fields} fields, the header ${expected}: ${line.slice(0, 200)}`);
    this.name = 'DelimitedRowError';
  }
}

/** "CANCELLED by 1000" → {state: CANCELLED, byUid: 1000}. */
export function parseState(raw: string): { state: SlurmState; byUid: number | null } {
  const m = /^([A-Z_]+)(?:\s+by\s+(\d+))?/.exec(raw.trim());
  return { state: m ? m[1] : raw.trim(), byUid: m?.[2] ? Number(m[2]) : null };
}

/** "1:0" → {code: 1, signal: 0}; sacct prints negative codes for some steps ("-2:0"). */
export function parseExitCode(raw: string): ExitCode | null {
  const m = /^(-?\d+):(-?\d+)$/.exec(raw.trim());
  return m ? { code: Number(m[1]), signal: Number(m[2]) } : null;
}

/**
 * `scontrol show job` in one-line (-o) or multi-line (-dd) form, one record per job. Keys are
 * taken from `Key=Value` tokens (first occurrence wins, so per-node detail lines do not
 * overwrite the job's fields); tokens without "=" are skipped.
 */
export function parseScontrolShowJob(text: string): Record<string, string>[] {
  const blocks = /\n\s*\n/.test(text.trim()) ? text.split(/\n\s*\n/) : text.split(/\n(?=JobId=)/);
  return blocks
    .map((block) => {
      const record: Record<string, string> = {};
      for (const token of block.trim().split(/\s+/)) {
        const eq = token.indexOf('=');
        if (eq <= 0) continue;
        const key = token.slice(0, eq);
        if (!(key in record)) record[key] = token.slice(eq + 1);
      }
      return record;
    })
    .filter((r) => r.JobId !== undefined);
}
