import type { Job } from '../jobs/job.entity';
import { parseGaussianLog } from '../parsers/gaussian-log.parser';
import { parseLammpsLog } from '../parsers/lammps-log.parser';
import { parseXtbOutput } from '../parsers/xtb-output.parser';
import { linePlot, stickSpectrum, type Plot } from './plots';
import { Quantities, summaryOf, type Quantity, type QuantityValue } from './quantities';

export interface Report {
  jobId: string;
  name: string | null;
  engine: Job['engine'];
  type: Job['type'];
  /** The exact engine that ran, from its own banner, or null when its output shows none. */
  engineVersion: string | null;
  /** The numbers a chemist looks for first, each with its unit. */
  quantities: Quantity[];
  /** The same values keyed "label (unit)", as tables and batch reports show them. */
  summary: Record<string, QuantityValue>;
  notes: string[];
  plots: Plot[];
}

/** Reads an output file by name (null when the run did not produce it). */
export type ReadOutput = (name: string) => Promise<string | null>;

interface LammpsUnits {
  energy: string;
  force: string;
  temperature: string;
  pressure: string;
}

/** Units of LAMMPS `units` styles (its manual, "units" command); lj is reduced (ε, σ, m, k_B = 1). */
const LAMMPS_UNITS: Record<string, LammpsUnits> = {
  lj: { energy: 'ε', force: 'ε/σ', temperature: 'ε/k_B', pressure: 'ε/σ³' },
  real: { energy: 'kcal/mol', force: 'kcal/mol/Å', temperature: 'K', pressure: 'atm' },
  metal: { energy: 'eV', force: 'eV/Å', temperature: 'K', pressure: 'bar' },
  si: { energy: 'J', force: 'N', temperature: 'K', pressure: 'Pa' },
  cgs: { energy: 'erg', force: 'dyne', temperature: 'K', pressure: 'dyne/cm²' },
  electron: { energy: 'Eh', force: 'Eh/bohr', temperature: 'K', pressure: 'Pa' },
  micro: { energy: 'pg·µm²/µs²', force: 'pg·µm/µs²', temperature: 'K', pressure: 'pg/(µm·µs²)' },
  nano: { energy: 'ag·nm²/ns²', force: 'ag·nm/ns²', temperature: 'K', pressure: 'ag/(nm·ns²)' },
};

/** The thermo columns a report plots, with the kind of unit each carries. */
const THERMO_PLOTTED: [string, keyof LammpsUnits][] = [
  ['Temp', 'temperature'],
  ['TotEng', 'energy'],
  ['PotEng', 'energy'],
  ['E_pair', 'energy'],
  ['Press', 'pressure'],
];

const ENDINGS: Record<string, string> = {
  error: 'ended with an error',
  timeout: 'stopped at the wall-time limit (timer timeout)',
  halted: 'stopped by fix halt',
  incomplete: 'did not finish (the log stops inside it)',
};

/** What an engine's report part gives: its plots and the version its banner names. */
interface EnginePart {
  plots: Plot[];
  version: string | null;
}

async function lammpsReport(read: ReadOutput, q: Quantities, notes: string[]): Promise<EnginePart> {
  const text = (await read('log.lammps')) ?? (await read('stdout.log'));
  if (!text) {
    notes.push('no LAMMPS log was produced');
    return { plots: [], version: null };
  }
  const log = parseLammpsLog(text);
  const version = log.version;
  notes.push(...log.warnings, ...log.errors);
  log.thermoBlocks.forEach((b, i) => {
    if (b.ending !== 'completed')
      notes.push(
        `run ${i + 1} of ${log.thermoBlocks.length} (${b.header}) ${ENDINGS[b.ending]} after step ${b.lastStep ?? b.firstStep ?? '?'}`,
      );
  });
  q.put('thermo blocks', log.thermoBlocks.length);
  q.put('last run ended', log.thermoBlocks[log.thermoBlocks.length - 1]?.ending ?? null);
  q.put('total wall time', log.totalWallTime, 'h:mm:ss');
  q.put('completed normally', log.completedNormally);
  q.put('units', log.units);
  const style = log.units ?? 'lj';
  const unit = LAMMPS_UNITS[style] ?? {
    energy: `${style} energy`,
    force: `${style} force`,
    temperature: `${style} temperature`,
    pressure: `${style} pressure`,
  };
  const min = log.minimizations[log.minimizations.length - 1];
  if (min) {
    q.put('minimisation stopped by', min.stoppingCriterion);
    q.put('minimised energy', min.energyFinal, unit.energy);
    q.put('final force two-norm', min.forceTwoNormFinal, unit.force);
    q.put('final largest force component', min.forceMaxComponentFinal, unit.force);
    q.put('minimisation iterations', min.iterations);
  }
  if (log.loopTimes.length > 0) {
    q.put('atoms', log.loopTimes[log.loopTimes.length - 1].atoms);
    q.put(
      'steps',
      log.loopTimes.reduce((s, l) => s + l.steps, 0),
    );
    q.put(
      'loop time',
      log.loopTimes.reduce((s, l) => s + l.seconds, 0),
      's',
    );
  }
  const plots: Plot[] = [];
  const last = log.thermoBlocks[log.thermoBlocks.length - 1];
  if (!last) return { plots, version };
  for (const [column, kind] of THERMO_PLOTTED.filter(([c]) => last.columns.includes(c))) {
    q.put(`final ${column}`, last.rows[last.rows.length - 1]?.[column] ?? null, unit[kind]);
    const points = log.thermoBlocks.flatMap((b) =>
      b.rows.filter((r) => column in r).map((r) => ({ x: r.Step, y: r[column] })),
    );
    plots.push(await linePlot(`${column} against step`, 'step', `${column} (${unit[kind]})`, points));
  }
  return { plots, version };
}

async function xtbReport(read: ReadOutput, q: Quantities, notes: string[]): Promise<EnginePart> {
  const stdout = await read('stdout.log');
  if (!stdout) {
    notes.push('xtb wrote no output');
    return { plots: [], version: null };
  }
  const out = parseXtbOutput(stdout, await read('xtbout.json'), (await read('stderr.log')) ?? '');
  q.put('total energy', out.totalEnergy, 'Eh');
  q.put('HOMO-LUMO gap', out.gapEv, 'eV');
  q.put('dipole moment', out.dipoleDebye, 'Debye');
  q.put('optimisation converged', out.optimisationConverged);
  q.put('optimisation cycles', out.cycles);
  q.put('normal termination', out.normalTermination);
  if (out.frequencies.length > 0) {
    q.put('frequencies', out.frequencies.length);
    q.put('imaginary frequencies', out.imaginaryFrequencies);
    q.put('lowest frequency', Math.min(...out.frequencies), 'cm⁻¹');
  }
  if (out.thermochemistry) {
    q.put('thermochemistry temperature', out.thermochemistry.temperatureK, 'K');
    q.put('zero-point energy', out.thermochemistry.zeroPointEnergy, 'Eh');
    q.put('G(RRHO) contribution', out.thermochemistry.gRrhoContribution, 'Eh');
    q.put('total enthalpy', out.thermochemistry.totalEnthalpy, 'Eh');
    q.put('total free energy', out.thermochemistry.totalFreeEnergy, 'Eh');
  }
  if (out.optimisationEnergies.length === 0) return { plots: [], version: out.version };
  return {
    plots: [
      await linePlot(
        'Energy against optimisation cycle',
        'cycle',
        'total energy (Eh)',
        out.optimisationEnergies.map((y, i) => ({ x: i + 1, y })),
      ),
    ],
    version: out.version,
  };
}

async function gaussianReport(read: ReadOutput, q: Quantities, notes: string[]): Promise<EnginePart> {
  const text = (await read('input.log')) ?? (await read('stdout.log'));
  if (!text) {
    notes.push('no Gaussian log was produced');
    return { plots: [], version: null };
  }
  const log = parseGaussianLog(text);
  notes.push(...log.errorLines);
  q.put('final SCF energy', log.finalScfEnergy, 'Eh');
  q.put('HOMO', log.homo, 'Eh');
  q.put('LUMO', log.lumo, 'Eh');
  q.put('HOMO-LUMO gap', log.gapEv, 'eV');
  q.put('normal termination', log.normalTermination);
  q.put('normal terminations (steps)', log.normalTerminations);
  q.put('route', log.route);
  log.steps.forEach((step, i) => {
    if (log.steps.length > 1 || step.termination !== 'normal')
      notes.push(
        `step ${i + 1} of ${log.steps.length} (${step.route ?? 'route not printed'}): ${step.termination === null ? 'did not finish' : `${step.termination} termination`}`,
      );
  });
  q.put('dipole moment', log.dipoleDebye, 'Debye');
  if (log.mp2Energy !== null) q.put('MP2 energy', log.mp2Energy, 'Eh');
  if (log.ccsdEnergy !== null) q.put('CCSD energy', log.ccsdEnergy, 'Eh');
  if (log.ccsdTEnergy !== null) q.put('CCSD(T) energy', log.ccsdTEnergy, 'Eh');
  if (log.excitedStates.length > 0) {
    const bright = log.excitedStates.reduce((a, b) => (b.oscillatorStrength > a.oscillatorStrength ? b : a));
    q.put('excited states', log.excitedStates.length);
    q.put('lowest excitation', Math.min(...log.excitedStates.map((e) => e.energyEv)), 'eV');
    q.put('brightest excitation', bright.energyEv, 'eV');
    q.put('brightest excitation wavelength', bright.wavelengthNm, 'nm');
    q.put('brightest oscillator strength', bright.oscillatorStrength);
  }
  if (log.thermochemistry) {
    q.put('zero-point correction', log.thermochemistry.zeroPointCorrection, 'Eh');
    q.put('sum of electronic and thermal enthalpies', log.thermochemistry.electronicPlusThermalEnthalpy, 'Eh');
    q.put('sum of electronic and thermal free energies', log.thermochemistry.electronicPlusThermalFreeEnergy, 'Eh');
  }
  q.put('optimisation completed', log.optimisation.completed);
  q.put('frequencies', log.frequencies.length);
  q.put('imaginary frequencies', log.frequencies.filter((f) => f < 0).length);
  const plots: Plot[] = [];
  if (log.scfEnergies.length > 1)
    plots.push(
      await linePlot(
        'SCF energy against optimisation step',
        'step',
        'energy (Eh)',
        log.scfEnergies.map((e, i) => ({ x: i + 1, y: e.energy })),
      ),
    );
  if (log.frequencies.length > 0 && log.irIntensities.length === log.frequencies.length) {
    plots.push(
      await stickSpectrum(
        'IR spectrum',
        log.frequencies.map((frequency, i) => ({ frequency, intensity: log.irIntensities[i] })),
      ),
    );
  }
  return { plots, version: log.programVersion };
}

const BY_ENGINE = { lammps: lammpsReport, xtb: xtbReport, gaussian: gaussianReport } as const;

/** The report of one finished job, from its output files. */
export async function buildReport(job: Job, read: ReadOutput): Promise<Report> {
  const q = new Quantities();
  const notes: string[] = [];
  const { plots, version } = await BY_ENGINE[job.engine](read, q, notes);
  return {
    jobId: job.id,
    name: job.name,
    engine: job.engine,
    type: job.type,
    engineVersion: version,
    quantities: q.items,
    summary: summaryOf(q.items),
    notes,
    plots,
  };
}
