import { logicalLines, ScriptRefusal, type Token } from './lammps-lines';

/**
 * What a LAMMPS variable can put into a command. LAMMPS substitutes `${name}`, `$x` and `$(expr)`
 * into the text of a line and then reads the line again, so every value a variable can take is
 * script text: it must stay one plain word (or a number), never words, quotes or keywords.
 * - string-like styles (index, loop, string, world, universe, uloop): each value one plain word;
 * - format: a single numeric conversion (%g, %.3f, %e…), since the format string becomes the text;
 * - file: every line of an uploaded file one plain word (a file the script wrote is unknown text);
 * - `$(expr:fmt)` immediates: the same numeric conversion; getenv, python and internal: refused.
 */

/** Words no variable may hold: they would change what a command does once substituted. */
const KEYWORDS = new Set(
  'every file append screen then elif else shell python plugin include jump label log universe getenv internal partition'.split(
    ' ',
  ),
);
const STRING_STYLES = new Set(['index', 'loop', 'string', 'world', 'universe', 'uloop']);
const PLAIN_VALUE = /^[A-Za-z0-9_.+-]{0,64}$/;
/** One printf conversion of a number, nothing around it. */
export const NUMERIC_FORMAT = /^%[-+ #0]{0,4}\d{0,3}(\.\d{1,3})?[eEfgG]$/;

export interface ValueSources {
  /** An uploaded file's bytes, or undefined when the job did not upload it. */
  upload(name: string): Buffer | undefined;
  /** Checks a file argument (plain name of the job's directory). */
  fileName(name: string, what: string): void;
}

export function plainValue(value: string, what: string): void {
  if (!PLAIN_VALUE.test(value) || KEYWORDS.has(value.toLowerCase()))
    throw new ScriptRefusal(
      `${what}: ${JSON.stringify(value.slice(0, 40))} is not a plain value (one word of A-Z a-z 0-9 _ . + -, not a keyword)`,
    );
}

/** The values a file-style variable reads: each line without its comment, trimmed, blank lines skipped. */
function fileValues(name: string, content: Buffer, what: string): void {
  if (content.includes(0)) throw new ScriptRefusal(`${what}: ${JSON.stringify(name)} is not a text file`);
  for (const { text } of logicalLines(content.toString('utf8'))) {
    const value = text.replace(/#.*/, '').trim();
    if (value) plainValue(value, `${what} (a line of ${name})`);
  }
}

export function screenVariable(args: Token[], sources: ValueSources): void {
  const [name, style, ...values] = args.map((t) => t.text);
  const what = `variable ${name}`;
  if (!style || style.includes('$')) throw new ScriptRefusal('variable: the style must be written out');
  if (['getenv', 'python', 'internal'].includes(style))
    throw new ScriptRefusal(`${what}: the ${style} style is not allowed`);
  if (style === 'file' || style === 'atomfile') {
    const file = values[0] ?? '';
    sources.fileName(file, `${what} ${style}`);
    const content = sources.upload(file);
    if (!content) throw new ScriptRefusal(`${what} ${style}: ${JSON.stringify(file)} was not uploaded with the job`);
    if (style === 'file') fileValues(file, content, what);
    return;
  }
  if (style === 'format') {
    plainValue(values[0] ?? '', what);
    if (!NUMERIC_FORMAT.test(values[1] ?? ''))
      throw new ScriptRefusal(
        `${what}: the format ${JSON.stringify((values[1] ?? '').slice(0, 40))} must be one numeric conversion such as %g or %.3f`,
      );
    return;
  }
  if (!STRING_STYLES.has(style)) return;
  const words = style === 'loop' || style === 'uloop' ? values.filter((v) => v !== 'pad') : values;
  for (const v of words) plainValue(v, what);
}

/** `$(expr)` and `$(expr:fmt)` anywhere in a line (quoted or not: LAMMPS substitutes inside quotes too). */
export function screenImmediates(text: string): void {
  for (let at = text.indexOf('$('); at >= 0; at = text.indexOf('$(', at + 2)) {
    let depth = 0;
    let end = at + 1;
    for (; end < text.length; end++) {
      if (text[end] === '(') depth++;
      else if (text[end] === ')' && --depth === 0) break;
    }
    if (end >= text.length) throw new ScriptRefusal('an immediate variable $( … ) is not closed');
    const inside = text.slice(at + 2, end);
    if (/["'$]/.test(inside)) throw new ScriptRefusal('an immediate variable $( … ) may hold no quotes or variables');
    const colon = inside.indexOf(':');
    if (colon >= 0 && !NUMERIC_FORMAT.test(inside.slice(colon + 1)))
      throw new ScriptRefusal(
        `the immediate format ${JSON.stringify(inside.slice(colon + 1, colon + 41))} must be one numeric conversion such as %g or %.3f`,
      );
  }
}
