import { yamlDataRow, yamlKeywords } from './lammps-yaml-thermo';

/**
 * How a run's thermo block ended: its "Loop time" line (completed), an ERROR, the `timer timeout`
 * wall-time limit or a `fix halt` condition (LAMMPS warns, then ends the run early with a Loop
 * time), or nothing at all (the log stops: killed, still running, or cut short).
 */
export type BlockEnding = 'completed' | 'error' | 'timeout' | 'halted' | 'incomplete';

/** One thermo block: a table (one/custom styles), `thermo_style multi` key = value entries, or a YAML document (`thermo_style yaml`, `thermo_modify line yaml`). */
export interface ThermoBlock {
  style: 'columns' | 'multi' | 'yaml';
  /** The header line as printed ("Step Temp E_pair …"), the first "---- Step N ----" banner of a multi block, or a YAML block's "keywords: […]" line. */
  header: string;
  ending: BlockEnding;
  columns: string[];
  /** One record per thermo output, numbers by column name (Step included). */
  rows: Record<string, number>[];
  firstStep: number | null;
  lastStep: number | null;
}

/** What a `minimize` printed under "Minimization stats:" (energies in the run's energy units, forces in its force units). */
export interface MinimizationStats {
  stoppingCriterion: string;
  energyInitial: number | null;
  energyFinal: number | null;
  forceTwoNormFinal: number | null;
  forceMaxComponentFinal: number | null;
  iterations: number | null;
}

export interface LammpsLog {
  version: string | null;
  /** The `units` style the input set (lj, real, metal …), as echoed in the log. */
  units: string | null;
  /** One entry per minimisation, in order. */
  minimizations: MinimizationStats[];
  thermoBlocks: ThermoBlock[];
  warnings: string[];
  errors: string[];
  lastCommand: string | null;
  loopTimes: { seconds: number; procs: number; steps: number; atoms: number }[];
  /** The runs (1-based, by their "Loop time" lines) that ended with no thermo block read: output in a form this parser does not know. */
  runsWithoutThermo: number[];
  totalWallTime: string | null;
  completedNormally: boolean;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?(nan|inf)$/i;
const LOOP = /^Loop time of ([\d.eE+-]+) on (\d+) procs for (\d+) steps with (\d+) atoms/;
const MULTI_BANNER = /^-+ Step\s+(\d+) -+ CPU =/;
/** Lines LAMMPS prints just before it ends a run early (timer.cpp; fix_halt.cpp, a warning or not by its `error` keyword). */
const EARLY_STOPS: [RegExp, BlockEnding][] = [
  [/^WARNING: Wall time limit reached/, 'timeout'],
  [/^(WARNING: )?Fix halt condition/, 'halted'],
];

/** Column names kept by position: a name printed twice becomes "Temp", "Temp#2", so no value is lost. */
function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name}#${n}`;
  });
}

function isNumericRow(tokens: string[], width: number): boolean {
  return tokens.length === width && tokens.every((t) => NUMBER.test(t));
}

function numberOf(token: string): number {
  return Number(token);
}

/**
 * Parses a LAMMPS log (log.lammps or captured stdout): every thermo block, whatever its
 * columns (several runs, minimize, `thermo_style multi`), warnings, errors, loop times and
 * total wall time. Pure: text in, facts out; never throws on odd input.
 */
export function parseLammpsLog(text: string): LammpsLog {
  const lines = text.split(/\r?\n/);
  const out: LammpsLog = {
    version: null,
    units: null,
    minimizations: [],
    thermoBlocks: [],
    warnings: [],
    errors: [],
    lastCommand: null,
    loopTimes: [],
    runsWithoutThermo: [],
    totalWallTime: null,
    completedNormally: false,
  };
  let block: ThermoBlock | null = null;
  let multiEntry: Record<string, number> | null = null;
  /** A "Step …" line waiting for its first numeric row. */
  let header: string[] | null = null;
  let headerLine = '';
  /** An early stop announced for the run in progress, applied when its Loop time arrives. */
  let earlyStop: BlockEnding | null = null;
  /** How many blocks had been read when the previous run ended (Loop time or ERROR). */
  let blocksAtRunEnd = 0;
  /** Gives the last block its ending, unless it already has one (a block closes before its run's last line may). */
  const end = (ending: BlockEnding) => {
    const last = out.thermoBlocks[out.thermoBlocks.length - 1];
    if (last?.ending === 'incomplete') last.ending = ending;
  };

  const close = () => {
    if (multiEntry && block) block.rows.push(multiEntry);
    multiEntry = null;
    if (block) {
      block.firstStep = block.rows[0]?.Step ?? null;
      block.lastStep = block.rows[block.rows.length - 1]?.Step ?? null;
      out.thermoBlocks.push(block);
    }
    block = null;
  };

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index].trim();
    let m: RegExpExecArray | null;
    if (out.units === null && (m = /^units\s+(\w+)/.exec(line))) out.units = m[1];
    if ((m = /^Stopping criterion = (.+)$/.exec(line))) {
      out.minimizations.push({
        stoppingCriterion: m[1].trim(),
        energyInitial: null,
        energyFinal: null,
        forceTwoNormFinal: null,
        forceMaxComponentFinal: null,
        iterations: null,
      });
      continue;
    }
    const min = out.minimizations[out.minimizations.length - 1];
    if (min) {
      if (/^Energy initial, next-to-last, final =/.test(line)) {
        const e = (lines[index + 1] ?? '').trim().split(/\s+/).map(Number);
        if (e.length === 3 && e.every(Number.isFinite)) [min.energyInitial, , min.energyFinal] = e;
        continue;
      }
      if ((m = /^Force two-norm initial, final = \S+ (\S+)$/.exec(line))) min.forceTwoNormFinal = Number(m[1]);
      if ((m = /^Force max component initial, final = \S+ (\S+)$/.exec(line)))
        min.forceMaxComponentFinal = Number(m[1]);
      if ((m = /^Iterations, force evaluations = (\d+) \d+$/.exec(line))) min.iterations = Number(m[1]);
    }
    if (!out.version && /^LAMMPS \(/.test(line)) out.version = line;
    earlyStop = EARLY_STOPS.find(([re]) => re.test(line))?.[1] ?? earlyStop;
    if (line.startsWith('WARNING')) {
      out.warnings.push(line);
      continue;
    }
    if (line.startsWith('ERROR')) {
      out.errors.push(line);
      close();
      end('error');
      blocksAtRunEnd = out.thermoBlocks.length;
      continue;
    }
    if (line.startsWith('Last command:')) out.lastCommand = line;
    const loop = LOOP.exec(line);
    if (loop) {
      close();
      end(earlyStop ?? 'completed');
      earlyStop = null;
      if (out.thermoBlocks.length === blocksAtRunEnd) out.runsWithoutThermo.push(out.loopTimes.length + 1);
      blocksAtRunEnd = out.thermoBlocks.length;
      out.loopTimes.push({
        seconds: Number(loop[1]),
        procs: Number(loop[2]),
        steps: Number(loop[3]),
        atoms: Number(loop[4]),
      });
      continue;
    }
    if (line.startsWith('Total wall time:')) {
      out.totalWallTime = line.slice('Total wall time:'.length).trim();
      continue;
    }
    const keywords = yamlKeywords(line);
    if (keywords) {
      close();
      header = null;
      block = {
        style: 'yaml',
        header: line,
        ending: 'incomplete',
        columns: uniqueNames(keywords),
        rows: [],
        firstStep: null,
        lastStep: null,
      };
      continue;
    }
    const yaml = block as ThermoBlock | null;
    if (yaml?.style === 'yaml') {
      const values = yamlDataRow(line);
      if (values) {
        const row: Record<string, number> = {};
        yaml.columns.forEach((c, i) => {
          if (values[i] !== undefined && NUMBER.test(values[i])) row[c] = numberOf(values[i]);
        });
        yaml.rows.push(row);
        continue;
      }
      if (line === 'data:' || line === '...' || line === '---') continue;
    }
    const banner = MULTI_BANNER.exec(line);
    if (banner) {
      if (block?.style !== 'multi') {
        close();
        block = {
          style: 'multi',
          header: line,
          ending: 'incomplete',
          columns: ['Step'],
          rows: [],
          firstStep: null,
          lastStep: null,
        };
      } else if (multiEntry) block.rows.push(multiEntry);
      multiEntry = { Step: Number(banner[1]) };
      continue;
    }
    const current = block as ThermoBlock | null;
    if (current?.style === 'multi' && multiEntry) {
      const pairs = [...line.matchAll(/([A-Za-z_][\w[\]]*)\s*=\s*(\S+)/g)];
      if (pairs.length > 0 && !/^-+$/.test(line)) {
        for (const [, key, value] of pairs) {
          if (!NUMBER.test(value)) continue;
          multiEntry[key] = numberOf(value);
          if (!current.columns.includes(key)) current.columns.push(key);
        }
        continue;
      }
      if (/^-+$/.test(line)) continue;
    }
    const tokens = line.split(/\s+/);
    // a header is known by structure: a "Step …" line confirmed by a numeric row of the same width right
    // after; its names may be anything LAMMPS prints (old versions drop the c_/f_ prefix: "2[9]", even "1")
    if (header && isNumericRow(tokens, header.length)) {
      close();
      block = {
        style: 'columns',
        header: headerLine,
        ending: 'incomplete',
        columns: uniqueNames(header),
        rows: [],
        firstStep: null,
        lastStep: null,
      };
    }
    header = tokens[0] === 'Step' && tokens.length > 1 && !tokens.some((t) => t.includes('=')) ? tokens : null;
    if (header) headerLine = line;
    if (header) continue;
    const table = block as ThermoBlock | null;
    if (table?.style === 'columns') {
      if (isNumericRow(tokens, table.columns.length))
        table.rows.push(Object.fromEntries(table.columns.map((c, i) => [c, numberOf(tokens[i])])));
      else if (line !== '') close();
    }
  }
  close();
  out.completedNormally = out.errors.length === 0 && out.totalWallTime !== null;
  return out;
}
