import type { Job } from '../jobs/job.entity';
import { parseGaussianLog } from '../parsers/gaussian-log.parser';
import { parseLammpsLog } from '../parsers/lammps-log.parser';
import { parseXtbOutput } from '../parsers/xtb-output.parser';
import { linePlot, stickSpectrum, type Plot } from './plots';

export interface Report {
  jobId: string;
  name: string | null;
  engine: Job['engine'];
  type: Job['type'];
  /** The exact engine that ran, from its own banner, or null when its output shows none. */
  engineVersion: string | null;
  /** The numbers a chemist looks for first, by label. */
  summary: Record<string, number | string | boolean | null>;
  notes: string[];
  plots: Plot[];
}

/** Reads an output file by name (null when the run did not produce it). */
export type ReadOutput = (name: string) => Promise<string | null>;

/** Energy and force units of LAMMPS `units` styles (its manual, "units" command). */
const LAMMPS_UNITS: Record<string, { energy: string; force: string }> = {
  lj: { energy: 'ε', force: 'ε/σ' },
  real: { energy: 'kcal/mol', force: 'kcal/mol/Å' },
  metal: { energy: 'eV', force: 'eV/Å' },
  si: { energy: 'J', force: 'N' },
  cgs: { energy: 'erg', force: 'dyne' },
  electron: { energy: 'Eh', force: 'Eh/bohr' },
  micro: { energy: 'pg·µm²/µs²', force: 'pg·µm/µs²' },
  nano: { energy: 'ag·nm²/ns²', force: 'ag·nm/ns²' },
};

const THERMO_PLOTTED = ['Temp', 'TotEng', 'PotEng', 'E_pair', 'Press'];

/** What an engine's report part gives: its plots and the version its banner names. */
interface EnginePart {
  plots: Plot[];
  version: string | null;
}

async function lammpsReport(read: ReadOutput, summary: Report['summary'], notes: string[]): Promise<EnginePart> {
  const text = (await read('log.lammps')) ?? (await read('stdout.log'));
  if (!text) {
    notes.push('no LAMMPS log was produced');
    return { plots: [], version: null };
  }
  const log = parseLammpsLog(text);
  const version = log.version;
  notes.push(...log.warnings, ...log.errors);
  summary['thermo blocks'] = log.thermoBlocks.length;
  summary['total wall time'] = log.totalWallTime;
  summary['completed normally'] = log.completedNormally;
  summary.units = log.units;
  const unit = LAMMPS_UNITS[log.units ?? 'lj'] ?? { energy: `${log.units} energy units`, force: `${log.units} force units` };
  const min = log.minimizations[log.minimizations.length - 1];
  if (min) {
    summary['minimisation stopped by'] = min.stoppingCriterion;
    summary[`minimised energy (${unit.energy})`] = min.energyFinal;
    summary[`final force two-norm (${unit.force})`] = min.forceTwoNormFinal;
    summary[`final largest force component (${unit.force})`] = min.forceMaxComponentFinal;
    summary['minimisation iterations'] = min.iterations;
  }
  const steps = log.loopTimes.reduce((s, l) => s + l.steps, 0);
  if (log.loopTimes.length > 0) {
    summary.atoms = log.loopTimes[log.loopTimes.length - 1].atoms;
    summary.steps = steps;
    summary['loop time (s)'] = log.loopTimes.reduce((s, l) => s + l.seconds, 0);
  }
  const plots: Plot[] = [];
  const last = log.thermoBlocks[log.thermoBlocks.length - 1];
  if (!last) return { plots, version };
  for (const column of THERMO_PLOTTED.filter((c) => last.columns.includes(c))) {
    summary[`final ${column}`] = last.rows[last.rows.length - 1]?.[column] ?? null;
    const points = log.thermoBlocks.flatMap((b) => b.rows.filter((r) => column in r).map((r) => ({ x: r.Step, y: r[column] })));
    plots.push(await linePlot(`${column} against step`, 'step', column, points));
  }
  return { plots, version };
}

async function xtbReport(read: ReadOutput, summary: Report['summary'], notes: string[]): Promise<EnginePart> {
  const stdout = await read('stdout.log');
  if (!stdout) {
    notes.push('xtb wrote no output');
    return { plots: [], version: null };
  }
  const out = parseXtbOutput(stdout, await read('xtbout.json'), (await read('stderr.log')) ?? '');
  summary['total energy (Eh)'] = out.totalEnergy;
  summary['HOMO-LUMO gap (eV)'] = out.gapEv;
  summary['dipole moment (Debye)'] = out.dipoleDebye;
  summary['optimisation converged'] = out.optimisationConverged;
  summary['optimisation cycles'] = out.cycles;
  summary['normal termination'] = out.normalTermination;
  if (out.optimisationEnergies.length === 0) return { plots: [], version: out.version };
  return { plots: [await linePlot('Energy against optimisation cycle', 'cycle', 'total energy (Eh)', out.optimisationEnergies.map((y, i) => ({ x: i + 1, y })))], version: out.version };
}

async function gaussianReport(read: ReadOutput, summary: Report['summary'], notes: string[]): Promise<EnginePart> {
  const text = (await read('input.log')) ?? (await read('stdout.log'));
  if (!text) {
    notes.push('no Gaussian log was produced');
    return { plots: [], version: null };
  }
  const log = parseGaussianLog(text);
  notes.push(...log.errorLines);
  summary['final SCF energy (Eh)'] = log.finalScfEnergy;
  summary['HOMO (Eh)'] = log.homo;
  summary['LUMO (Eh)'] = log.lumo;
  summary['HOMO-LUMO gap (eV)'] = log.gapEv;
  summary['normal termination'] = log.normalTermination;
  summary['normal terminations (steps)'] = log.normalTerminations;
  summary.route = log.route;
  summary['dipole moment (Debye)'] = log.dipoleDebye;
  if (log.mp2Energy !== null) summary['MP2 energy (Eh)'] = log.mp2Energy;
  if (log.excitedStates.length > 0) {
    const bright = log.excitedStates.reduce((a, b) => (b.oscillatorStrength > a.oscillatorStrength ? b : a));
    summary['excited states'] = log.excitedStates.length;
    summary['lowest excitation (eV)'] = Math.min(...log.excitedStates.map((e) => e.energyEv));
    summary['brightest excitation (eV)'] = bright.energyEv;
    summary['brightest excitation (nm)'] = bright.wavelengthNm;
    summary['brightest oscillator strength'] = bright.oscillatorStrength;
  }
  if (log.thermochemistry) {
    summary['zero-point correction (Eh)'] = log.thermochemistry.zeroPointCorrection;
    summary['sum of electronic and thermal enthalpies (Eh)'] = log.thermochemistry.electronicPlusThermalEnthalpy;
    summary['sum of electronic and thermal free energies (Eh)'] = log.thermochemistry.electronicPlusThermalFreeEnergy;
  }
  summary['optimisation completed'] = log.optimisation.completed;
  summary.frequencies = log.frequencies.length;
  summary['imaginary frequencies'] = log.frequencies.filter((f) => f < 0).length;
  const plots: Plot[] = [];
  if (log.scfEnergies.length > 1) plots.push(await linePlot('SCF energy against optimisation step', 'step', 'energy (Eh)', log.scfEnergies.map((e, i) => ({ x: i + 1, y: e.energy }))));
  if (log.frequencies.length > 0 && log.irIntensities.length === log.frequencies.length) {
    plots.push(await stickSpectrum('IR spectrum', log.frequencies.map((frequency, i) => ({ frequency, intensity: log.irIntensities[i] }))));
  }
  return { plots, version: log.programVersion };
}

const BY_ENGINE = { lammps: lammpsReport, xtb: xtbReport, gaussian: gaussianReport } as const;

/** The report of one finished job, from its output files. */
export async function buildReport(job: Job, read: ReadOutput): Promise<Report> {
  const summary: Report['summary'] = {};
  const notes: string[] = [];
  const { plots, version } = await BY_ENGINE[job.engine](read, summary, notes);
  return { jobId: job.id, name: job.name, engine: job.engine, type: job.type, engineVersion: version, summary, notes, plots };
}
