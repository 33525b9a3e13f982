export interface XtbOutput {
  /** "xtb 6.5.1", from the banner. */
  version: string | null;
  /** Total molecular dipole (Debye): GFN2's "full" line or GFN1's "total (Debye):", the last one printed. */
  dipoleDebye: number | null;
  totalEnergy: number | null;
  gapEv: number | null;
  /** Total energy after each optimisation cycle (Eh), in order; empty for a single point. */
  optimisationEnergies: number[];
  optimisationConverged: boolean | null;
  cycles: number | null;
  normalTermination: boolean;
  /** Vibrational frequencies of a --hess/--ohess run (cm⁻¹), translations and rotations left out; empty otherwise. */
  frequencies: number[];
  /** "# imaginary freq." of the thermodynamic set-up, null without a Hessian. */
  imaginaryFrequencies: number | null;
  thermochemistry: XtbThermochemistry | null;
  /** xtb's own warnings (its "[WARNING]" blocks), e.g. "Hessian on incompletely optimized geometry!". */
  warnings: string[];
}

/** One line of xtb's vibspectrum file: a mode's wavenumber (cm⁻¹) and IR intensity (km/mol). */
export interface VibrationalMode {
  frequency: number;
  intensity: number;
}

/**
 * xtb's `vibspectrum` (Turbomole format): "mode symmetry wavenumber intensity IR RAMAN" rows
 * between `$vibrational spectrum` and `$end`; the translations and rotations (printed as ±0.00)
 * left out.
 */
export function parseVibspectrum(text: string): VibrationalMode[] {
  const modes: VibrationalMode[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*\d+\s+(?:[A-Za-z][\w'"]*\s+)?(-?\d+\.\d+)\s+(\d+\.\d+)\s/.exec(line);
    if (m && Math.abs(Number(m[1])) >= 0.01) modes.push({ frequency: Number(m[1]), intensity: Number(m[2]) });
  }
  return modes;
}

/**
 * The messages of xtb's "[WARNING] Runtime exception occurred" blocks ("-1- source: message"), in
 * order, once each. A stale xtbrestart's complaints are left out: molq runs every job in a fresh
 * directory, so they only come from files made elsewhere.
 */
function warningsOf(stdout: string): string[] {
  const found = [...stdout.matchAll(/^-\d+-\s+(\w+):\s+(.+?)\s*$/gm)]
    .filter((m) => !m[1].startsWith('restart_'))
    .map((m) => m[2]);
  return [...new Set(found)];
}

/** The RRHO thermochemistry of a Hessian run (Eh), at `temperatureK`. */
export interface XtbThermochemistry {
  temperatureK: number | null;
  zeroPointEnergy: number;
  /** G(RRHO) contribution: what is added to the electronic energy to give the free energy. */
  gRrhoContribution: number | null;
  totalEnthalpy: number | null;
  totalFreeEnergy: number | null;
}

const LAST = <T>(xs: T[]): T | null => (xs.length > 0 ? xs[xs.length - 1] : null);
const NUMBER = '(-?\\d+\\.\\d+(?:[eE][-+]?\\d+)?)';
const lastNumber = (text: string, label: string): number | null =>
  LAST([...text.matchAll(new RegExp(`${label}\\s+${NUMBER} Eh`, 'g'))].map((m) => Number(m[1])));

/** GFN2 (and GFN-FF): "molecular dipole:", a "x y z tot (Debye)" heading, "q only:", then "full: x y z tot". */
const GFN2_DIPOLE = /molecular dipole:\s*\n.*tot \(Debye\)\s*\n.*\n\s*full:\s+\S+\s+\S+\s+\S+\s+(-?\d+\.\d+)/g;
/** GFN1: "dipole moment from electron density (au)", an "X Y Z" heading, then "x y z  total (Debye):  tot". */
const GFN1_DIPOLE = /dipole moment from electron density \(au\)\s*\n.*\n.*total \(Debye\):\s*(-?\d+\.\d+)/g;

/**
 * The gap of each SCC summary (":: HOMO-LUMO gap  x eV ::") and of the final box ("| HOMO-LUMO GAP  x eV |"),
 * which after a Hessian differs from the summary before it in the last digits: the one printed last is the result.
 */
const SUMMARY_GAP = /:: HOMO-LUMO gap\s+(-?\d+\.\d+) eV/g;
const FINAL_BOX_GAP = /\| HOMO-LUMO GAP\s+(-?\d+\.\d+) eV\s+\|/g;

/** The number captured by whichever of the patterns matches last in the text. */
function lastInOrder(text: string, patterns: RegExp[]): number | null {
  const found = patterns.flatMap((re) => [...text.matchAll(re)]).sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
  return found.length > 0 ? Number(found[found.length - 1][1]) : null;
}

/**
 * The last frequency block: 3N values, the first 6 (5 for a linear molecule) the projected-out
 * translations and rotations, printed as ±0.00; the rest sorted, imaginary modes (negative)
 * included. xtb (6.5 to 6.7 alike, src/hessian.F90) heads it "projected vibrational frequencies",
 * or "vibrational frequencies" for a linear molecule. ("# frequencies" in the thermo set-up counts
 * only the real modes, so it cannot tell how many to drop.) A single atom has nothing to vibrate.
 */
function vibrationalFrequencies(stdout: string): number[] {
  const block = LAST(
    [
      ...stdout.matchAll(/^\s*(?:projected )?vibrational frequencies \(cm(?:⁻¹|-1)\)\s*\n((?:\s*eigval :.*\n?)+)/gm),
    ].map((m) => m[1]),
  );
  if (!block) return [];
  const all = [...block.matchAll(/-?\d+\.\d+/g)].map((m) => Number(m[0]));
  const projected = /:\s+linear\?\s+true\s+:/.test(stdout) ? 5 : 6;
  if (all.length <= projected) return [];
  return all.slice(0, projected).every((f) => Math.abs(f) < 0.01)
    ? all.slice(projected)
    : all.filter((f) => Math.abs(f) >= 0.01);
}

function thermochemistryOf(stdout: string): XtbThermochemistry | null {
  const zeroPointEnergy = lastNumber(stdout, ':: zero point energy');
  if (zeroPointEnergy === null) return null;
  const temperature = LAST(
    [...stdout.matchAll(/^\s*T\/K\s+H\(0\)-H\(T\)\+PV.*\n\s*-+\s*\n\s*(\d+\.\d+)\s/gm)].map((m) => Number(m[1])),
  );
  return {
    temperatureK: temperature,
    zeroPointEnergy,
    gRrhoContribution: lastNumber(stdout, ':: G\\(RRHO\\) contrib\\.'),
    totalEnthalpy: lastNumber(stdout, '\\| TOTAL ENTHALPY'),
    totalFreeEnergy: lastNumber(stdout, ':: total free energy'),
  };
}

/**
 * Parses xtb's stdout (and its --json xtbout.json when given, which wins for the final
 * numbers): total energy, HOMO-LUMO gap, the energy of every optimisation cycle and whether
 * the optimisation converged. "normal termination of xtb" goes to stderr, so it is looked for
 * in both streams.
 */
export function parseXtbOutput(stdout: string, json?: string | null, stderr = ''): XtbOutput {
  const totals = [...stdout.matchAll(/:: total energy\s+(-?\d+\.\d+) Eh/g)].map((m) => Number(m[1]));
  const cycleEnergies = [...stdout.matchAll(/^\s*\* total energy\s*:\s*(-?\d+\.\d+) Eh/gm)].map((m) => Number(m[1]));
  const converged = /GEOMETRY OPTIMIZATION CONVERGED AFTER\s+(\d+)\s+ITERATIONS/.exec(stdout);
  const failed = /FAILED TO CONVERGE GEOMETRY OPTIMIZATION/.test(stdout);
  const version = /\*\s+xtb version\s+(\S+)/.exec(stdout);
  const out: XtbOutput = {
    version: version ? `xtb ${version[1]}` : null,
    dipoleDebye: lastInOrder(stdout, [GFN2_DIPOLE, GFN1_DIPOLE]),
    totalEnergy: LAST(totals),
    gapEv: lastInOrder(stdout, [SUMMARY_GAP, FINAL_BOX_GAP]),
    optimisationEnergies: cycleEnergies,
    optimisationConverged: converged ? true : failed ? false : null,
    cycles: converged ? Number(converged[1]) : cycleEnergies.length || null,
    normalTermination: /normal termination of xtb/.test(stderr) || /normal termination of xtb/.test(stdout),
    frequencies: vibrationalFrequencies(stdout),
    imaginaryFrequencies: LAST([...stdout.matchAll(/:\s+# imaginary freq\.\s+(\d+)\s+:/g)].map((m) => Number(m[1]))),
    thermochemistry: thermochemistryOf(stdout),
    warnings: warningsOf(stdout),
  };
  if (json) {
    try {
      const parsed = JSON.parse(json) as Record<string, unknown>;
      if (typeof parsed['total energy'] === 'number') out.totalEnergy = parsed['total energy'];
      if (typeof parsed['HOMO-LUMO gap/eV'] === 'number') out.gapEv = parsed['HOMO-LUMO gap/eV'];
    } catch {
      // a truncated xtbout.json: keep what stdout said
    }
  }
  return out;
}
