/**
 * One POSIX shell word that stands for exactly `value`: single-quoted, with every single quote
 * written as '\''. Nothing inside is expanded ($(…), backticks, $VAR, globs, ;, newlines).
 * NUL cannot be passed through a shell at all and is refused.
 */
export function shellQuote(value: string): string {
  if (value.includes('\0')) throw new Error('a shell argument cannot contain NUL');
  if (/^[A-Za-z0-9_./:=@%+-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A command line of quoted words. */
export function shellCommand(words: string[]): string {
  return words.map(shellQuote).join(' ');
}
