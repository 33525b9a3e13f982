import type { Job } from '../jobs/job.entity';
import { parseGaussianLog } from '../parsers/gaussian-log.parser';
import { parseLammpsLog } from '../parsers/lammps-log.parser';
import { linePlot, stickSpectrum, type Plot } from './plots';
import { Quantities, summaryOf, type Quantity, type QuantityValue } from './quantities';
import type { EnginePart, ReadOutput } from './report-parts';
import { xtbReport } from './xtb-report';
import { LAMMPS_UNITS, NOT_PLOTTED, thermoUnit, type LammpsUnits } from './lammps-units';

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

export type { ReadOutput } from './report-parts';

const ENDINGS: Record<string, string> = {
  error: 'ended with an error',
  timeout: 'stopped at the wall-time limit (timer timeout)',
  halted: 'stopped by fix halt',
  incomplete: 'did not finish (the log stops inside it)',
};

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
  for (const run of log.runsWithoutThermo)
    notes.push(
      `run ${run} of ${log.loopTimes.length}: its thermo output could not be read, so its values and plots are missing`,
    );
  q.put('thermo blocks', log.thermoBlocks.length);
  q.put('last run ended', log.thermoBlocks[log.thermoBlocks.length - 1]?.ending ?? null);
  q.put('total wall time', log.totalWallTime, 'h:mm:ss');
  q.put('completed normally', log.completedNormally);
  q.put('units', log.units);
  const style = log.units ?? 'lj';
  const unit: LammpsUnits = LAMMPS_UNITS[style] ?? {
    energy: `${style} energy`,
    force: `${style} force`,
    temperature: `${style} temperature`,
    pressure: `${style} pressure`,
    distance: `${style} distance`,
    volume: `${style} volume`,
    density: `${style} density`,
    time: `${style} time`,
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
  // every column any run asked for (thermo_style), each against the step across the runs that print it; a known
  // quantity also as its final value (the last row of the last run that prints it)
  const columns = [...new Set(log.thermoBlocks.flatMap((b) => b.columns))].filter((c) => !NOT_PLOTTED.has(c));
  for (const column of columns) {
    const columnUnit = thermoUnit(column, unit);
    const lastWith = log.thermoBlocks.filter((b) => b.columns.includes(column)).pop();
    if (columnUnit) q.put(`final ${column}`, lastWith?.rows[lastWith.rows.length - 1]?.[column] ?? null, columnUnit);
    const points = log.thermoBlocks.flatMap((b) =>
      b.rows.filter((r) => column in r).map((r) => ({ x: r.Step, y: r[column] })),
    );
    plots.push(
      await linePlot(`${column} against step`, 'step', columnUnit ? `${column} (${columnUnit})` : column, points),
    );
  }
  return { plots, version };
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
