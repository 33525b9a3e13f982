/**
 * Defence in depth for uploaded LAMMPS scripts: an allowlist of commands, applied after joining
 * `&` continuations and to every command LAMMPS would run later (`if … then "…"` bodies,
 * `run … every … "…"`, included files). The sandbox is the wall; this screen turns the known
 * escapes into an early, clear 400 naming the file and line. It refuses:
 * - any command not on the list (shell, python, plugin, partition, …) and any python style;
 * - a command word that is a variable (`${c} …`), since its value decides the command;
 * - include / jump to a file the job did not upload, and read_* of one it neither uploaded nor wrote;
 * - any absolute path, `~` or `..` in any argument; a substituted (`$`) file name; a file name
 *   that is not plain (shell metacharacters, quotes, spaces) or names a compressed file (LAMMPS
 *   runs gzip, bzip2, xz, zstd… through a shell for those); dump style movie (ffmpeg, likewise);
 * - any value a variable could put into a line that is not one plain word (lammps-values.ts);
 * - an `if` condition holding a variable outside quotes;
 * - scripts over MAX_SCRIPT_BYTES. Linear in the script's length.
 */
import { logicalLines, ScriptRefusal, tokenize, type Token } from './lammps-lines';
import { screenImmediates, screenVariable } from './lammps-values';

export { tokenize, ScriptRefusal };

/** The largest script (or included file) screened; real input decks are a few kB, data goes in read_data files. */
export const MAX_SCRIPT_BYTES = 1024 * 1024;

const ALLOWED = new Set(
  `angle_coeff angle_style atom_modify atom_style balance bond_coeff bond_style bond_write boundary change_box clear comm_modify
  comm_style compute compute_modify create_atoms create_bonds create_box delete_atoms delete_bonds dielectric dihedral_coeff
  dihedral_style dimension displace_atoms dump dump_modify echo fix fix_modify group if improper_coeff improper_style include
  jump kspace_modify kspace_style label lattice log mass min_modify min_style minimize molecule neigh_modify neighbor newton next
  package pair_coeff pair_modify pair_style pair_write print processors read_data read_dump read_restart region replicate
  reset_atom_ids reset_timestep restart run run_style set special_bonds suffix thermo thermo_modify thermo_style timer timestep
  uncompute undump unfix units velocity variable write_coeff write_data write_dump write_restart`.split(/\s+/),
);

const BAD_PATH = /^[/~]|(^|[/\\])\.\.([/\\]|$)/;
/** A file name LAMMPS opens without a shell: letters, digits, . _ - + and its * and % wildcards. */
const PLAIN_FILE = /^[A-Za-z0-9_][A-Za-z0-9._*%+-]{0,127}$/;
/** Suffixes for which LAMMPS pipes the file through a compressor started by popen() (a shell). */
const COMPRESSED = /\.(gz|bz2|xz|zst|lzma|lz4|z|zip|7z|tgz)$/i;
/** Dump styles that popen() a program. */
const PIPED_DUMPS = new Set(['movie']);

interface Context {
  /** Uploaded files by name, read only when screened (include/jump targets are screened as scripts too). */
  uploads: Map<string, () => Buffer>;
  /** Files the script writes (write_data …), which a later read_* may read. */
  written: Set<string>;
  /** Files already screened (an include loop is screened once). */
  screened: Set<string>;
}

function fileArgument(name: string, what: string): void {
  if (name.includes('$')) throw new ScriptRefusal(`${what}: a file name may not come from a variable`);
  if (BAD_PATH.test(name) || name.includes('/'))
    throw new ScriptRefusal(`${what}: ${JSON.stringify(name)} is not a plain file name of the job's directory`);
  if (!PLAIN_FILE.test(name))
    throw new ScriptRefusal(
      `${what}: ${JSON.stringify(name.slice(0, 60))} is not a plain file name (A-Z a-z 0-9 . _ - + * %, no spaces, quotes or shell characters)`,
    );
  compressedName(name, what);
}

function compressedName(text: string, what: string): void {
  if (COMPRESSED.test(text))
    throw new ScriptRefusal(
      `${what}: ${JSON.stringify(text.slice(0, 60))}: compressed files are not allowed (LAMMPS compresses through a shell)`,
    );
}

function uploadedScript(name: string, what: string, ctx: Context): void {
  fileArgument(name, what);
  if (!ctx.uploads.has(name)) throw new ScriptRefusal(`${what}: ${JSON.stringify(name)} was not uploaded with the job`);
  screenFile(name, ctx);
}

function readable(name: string, what: string, ctx: Context): void {
  fileArgument(name, what);
  if (!ctx.uploads.has(name) && !ctx.written.has(name))
    throw new ScriptRefusal(`${what}: ${JSON.stringify(name)} was neither uploaded nor written earlier by the script`);
}

function screenCommand(tokens: Token[], ctx: Context): void {
  if (tokens.length === 0) return;
  const [first, ...args] = tokens;
  const command = first.text;
  if (command.includes('$'))
    throw new ScriptRefusal(`a variable may not stand for a command (${JSON.stringify(command.slice(0, 40))})`);
  if (!ALLOWED.has(command))
    throw new ScriptRefusal(`the ${JSON.stringify(command.slice(0, 40))} command is not allowed in uploaded scripts`);
  const message = command === 'print' ? args[0] : undefined; // print's text is written out, never opened or run
  for (const t of tokens) {
    if (/python/i.test(t.text) && t !== message) throw new ScriptRefusal(`${command}: python styles are not allowed`);
    if (t !== message) compressedName(t.text, command);
    if (!t.quoted || command !== 'print') {
      if (BAD_PATH.test(t.text))
        throw new ScriptRefusal(
          `${command}: ${JSON.stringify(t.text.slice(0, 60))}: absolute paths and .. are not allowed`,
        );
    }
  }
  args.forEach((t, i) => {
    if ((t.text === 'file' || t.text === 'append') && !t.quoted && args[i + 1])
      fileArgument(args[i + 1].text, `${command} ${t.text}`);
  });
  const arg = (i: number) => args[i]?.text ?? '';
  switch (command) {
    case 'include':
      return uploadedScript(arg(0), 'include', ctx);
    case 'jump':
      if (arg(0) !== 'SELF') uploadedScript(arg(0), 'jump', ctx);
      return;
    case 'read_data':
    case 'read_restart':
    case 'read_dump':
      return readable(arg(0), command, ctx);
    case 'molecule':
      return args.slice(1).forEach((t) => t.text.includes('$') && fileArgument(t.text, command));
    case 'write_data':
    case 'write_restart':
    case 'write_coeff':
    case 'log':
      fileArgument(arg(0), command);
      ctx.written.add(arg(0));
      return;
    case 'write_dump':
      pipedDump(arg(1), command);
      fileArgument(arg(2), command);
      return;
    case 'dump':
      pipedDump(arg(2), command);
      fileArgument(arg(4), command);
      return;
    case 'restart':
      args.slice(1).forEach((t) => fileArgument(t.text, command));
      args.slice(1).forEach((t) => ctx.written.add(t.text));
      return;
    case 'print':
      args.slice(1).forEach((t) => {
        if (t.text.includes('$')) throw new ScriptRefusal('print: only the message may hold variables');
      });
      return;
    case 'variable':
      return screenVariable(args, {
        upload: (name) => ctx.uploads.get(name)?.(),
        fileName: (name, what) => fileArgument(name, what),
      });
    case 'if':
      return screenIf(args, ctx);
    case 'run':
      return screenRun(args, ctx);
    default:
      return;
  }
}

function pipedDump(style: string, command: string): void {
  if (PIPED_DUMPS.has(style)) throw new ScriptRefusal(`${command}: the ${style} style is not allowed`);
}

/** if "cond" then "cmd" … [elif "cond" "cmd" …] [else "cmd" …]: every command is screened. */
function screenIf(args: Token[], ctx: Context): void {
  if (args[0] && !args[0].quoted && args[0].text.includes('$'))
    throw new ScriptRefusal('if: a condition with variables must be quoted ("${a} > 1")');
  let i = 1;
  if (args[i]?.text !== 'then' || args[i].quoted) throw new ScriptRefusal('if: expected a literal then');
  for (i = 2; i < args.length; i++) {
    const t = args[i];
    if (!t.quoted && t.text === 'elif') {
      if (args[++i] && !args[i].quoted && args[i].text.includes('$'))
        throw new ScriptRefusal('if: an elif condition with variables must be quoted');
      continue;
    }
    if (!t.quoted && t.text === 'else') continue;
    if (t.text.includes('$') && !t.quoted) throw new ScriptRefusal('if: then/elif/else must be written out');
    screenLine(t.text, ctx);
  }
}

/** run N [upto] [start/stop/pre/post …] [every M "cmd" … | NULL]: the every commands are screened; keywords are literal. */
function screenRun(args: Token[], ctx: Context): void {
  const every = args.findIndex((t) => t.text === 'every' && !t.quoted);
  args.slice(1, every < 0 ? undefined : every).forEach((t) => {
    if (t.text.includes('$')) throw new ScriptRefusal('run: only the step count may hold a variable');
  });
  if (every < 0) return;
  for (const t of args.slice(every + 2)) if (t.text !== 'NULL') screenLine(t.text, ctx);
}

function screenLine(text: string, ctx: Context): void {
  for (const { text: line } of logicalLines(text)) {
    screenImmediates(line);
    screenCommand(tokenize(line), ctx);
  }
}

function screenFile(name: string, ctx: Context): void {
  if (ctx.screened.has(name)) return;
  ctx.screened.add(name);
  const content = ctx.uploads.get(name)!();
  if (content.length > MAX_SCRIPT_BYTES)
    throw new ScriptRefusal(
      `files.${name}: a script may be at most ${MAX_SCRIPT_BYTES / 1024} KiB (this one is ${Math.ceil(content.length / 1024)} KiB); put data in read_data files`,
    );
  if (content.includes(0)) throw new ScriptRefusal(`files.${name}: is not a text file (contains NUL bytes)`);
  for (const { line, text } of logicalLines(content.toString('utf8'))) {
    try {
      screenImmediates(text);
      screenCommand(tokenize(text), ctx);
    } catch (err) {
      if (err instanceof ScriptRefusal && !/^files\./.test(err.message))
        throw new ScriptRefusal(`files.${name}: line ${line}: ${err.message}`);
      throw err;
    }
  }
}

/** Why an uploaded LAMMPS script (and every file it includes) may not run, naming file and line, or null. */
export function lammpsScriptProblem(script: string, files: { name: string; read: () => Buffer }[]): string | null {
  const ctx: Context = {
    uploads: new Map(files.map((f) => [f.name, f.read])),
    written: new Set(),
    screened: new Set(),
  };
  try {
    screenFile(script, ctx);
    return null;
  } catch (err) {
    if (err instanceof ScriptRefusal) return err.message;
    throw err;
  }
}
