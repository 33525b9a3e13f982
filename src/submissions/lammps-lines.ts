/**
 * How LAMMPS reads an input script into commands: logical lines (`&` continuations joined with
 * nothing between, lines inside an open """ quote joined with a newline) and the words of one
 * command. Linear in the script's length: a 16 MB upload of continuation lines costs one pass.
 */

export interface Token {
  text: string;
  quoted: boolean;
}

export class ScriptRefusal extends Error {}

/** Counts `"""` as /"""/g would over the text fed so far (each run of L quotes holds ⌊L/3⌋), in one pass. */
class TripleQuoteParity {
  private count = 0;
  private run = 0;

  feed(text: string): void {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 34) this.run++;
      else this.endRun();
    }
  }

  endRun(): void {
    this.count += Math.floor(this.run / 3);
    this.run = 0;
  }

  get open(): boolean {
    return (this.count + Math.floor(this.run / 3)) % 2 === 1;
  }
}

const CONTINUATION = /&\s*$/;

/** Joins `&` continuations and lines inside an open """ quote; keeps the line number where each command starts. */
export function logicalLines(text: string): { line: number; text: string }[] {
  const raw = text.split(/\r?\n/);
  const out: { line: number; text: string }[] = [];
  for (let i = 0; i < raw.length; i++) {
    const start = i + 1;
    const parts: string[] = [];
    const quotes = new TripleQuoteParity();
    let segment = raw[i];
    for (;;) {
      const amp = CONTINUATION.exec(segment);
      const body = amp ? segment.slice(0, amp.index) : segment;
      quotes.feed(body);
      const more = i + 1 < raw.length;
      if (quotes.open && more) {
        parts.push(segment, '\n');
        quotes.endRun();
      } else if (amp && more) {
        parts.push(body); // LAMMPS joins with nothing between
      } else {
        parts.push(segment);
        break;
      }
      segment = raw[++i];
    }
    out.push({ line: start, text: parts.join('') });
  }
  return out;
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v';

/** Words of a command as LAMMPS splits them: whitespace, with '…', "…" and """…""" as one word; # outside quotes ends the line. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (isSpace(text[i])) {
      i++;
      continue;
    }
    if (text[i] === '#') break;
    const triple = text.startsWith('"""', i);
    const quote = triple ? '"""' : text[i] === '"' || text[i] === "'" ? text[i] : null;
    if (quote) {
      const end = text.indexOf(quote, i + quote.length);
      if (end < 0) throw new ScriptRefusal(`unclosed ${quote} quote`);
      tokens.push({ text: text.slice(i + quote.length, end), quoted: true });
      i = end + quote.length;
      continue;
    }
    let j = i;
    while (j < text.length && !isSpace(text[j])) j++;
    tokens.push({ text: text.slice(i, j), quoted: false });
    i = j;
  }
  return tokens;
}
