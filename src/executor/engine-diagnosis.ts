const MAX_CHARS = 200;
const ERROR_LINE = /^(ERROR\b|\[ERROR\]|#?\s*Error termination|.*\berror\b)/i;

/**
 * What the job's `error` may say about a failed engine: the kind of error from the engine's own
 * ERROR line, never what the engine echoed of a file it read. An engine that reads a file it was
 * not meant to (`include /etc/passwd`) echoes the file's text in its message ("Unknown command:
 * root:x:0:0…", "instead of 'SECRET=…'"), so only the text before the second ": " is kept, quoted
 * words are elided, the source location dropped and the rest capped. The full logs stay artifacts.
 */
export function engineDiagnosis(logs: string[]): string | null {
  for (const text of logs) {
    const lines = text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const line = [...lines].reverse().find((l) => ERROR_LINE.test(l));
    if (line) return sanitize(line);
  }
  return null;
}

function sanitize(line: string): string {
  const withoutSource = line.replace(/\s*\((?:\.\.\/|src\/)?[\w./-]+\.(?:cpp|h|f90|F90|c):\d+\)\s*$/, '');
  const [kind, what] = withoutSource.split(/:\s+/);
  const kept = what === undefined ? kind : `${kind}: ${what}`;
  const elided = kept.replace(/'[^']*'?|"[^"]*"?|`[^`]*`?/g, '…');
  const printable = elided.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return printable.length > MAX_CHARS ? `${printable.slice(0, MAX_CHARS - 1)}…` : printable;
}
