export interface XtbOutput {
  /** "xtb 6.5.1", from the banner. */
  version: string | null;
  /** Total molecular dipole (Debye, "full" line), the last one printed. */
  dipoleDebye: number | null;
  totalEnergy: number | null;
  gapEv: number | null;
  /** Total energy after each optimisation cycle (Eh), in order; empty for a single point. */
  optimisationEnergies: number[];
  optimisationConverged: boolean | null;
  cycles: number | null;
  normalTermination: boolean;
}

const LAST = <T>(xs: T[]): T | null => (xs.length > 0 ? xs[xs.length - 1] : null);

/**
 * Parses xtb's stdout (and its --json xtbout.json when given, which wins for the final
 * numbers): total energy, HOMO-LUMO gap, the energy of every optimisation cycle and whether
 * the optimisation converged. "normal termination of xtb" goes to stderr, so it is looked for
 * in both streams.
 */
export function parseXtbOutput(stdout: string, json?: string | null, stderr = ''): XtbOutput {
  const totals = [...stdout.matchAll(/:: total energy\s+(-?\d+\.\d+) Eh/g)].map((m) => Number(m[1]));
  const gaps = [...stdout.matchAll(/:: HOMO-LUMO gap\s+(-?\d+\.\d+) eV/g)].map((m) => Number(m[1]));
  const cycleEnergies = [...stdout.matchAll(/^\s*\* total energy\s*:\s*(-?\d+\.\d+) Eh/gm)].map((m) => Number(m[1]));
  const converged = /GEOMETRY OPTIMIZATION CONVERGED AFTER\s+(\d+)\s+ITERATIONS/.exec(stdout);
  const failed = /FAILED TO CONVERGE GEOMETRY OPTIMIZATION/.test(stdout);
  const version = /\*\s+xtb version\s+(\S+)/.exec(stdout);
  const out: XtbOutput = {
    version: version ? `xtb ${version[1]}` : null,
    dipoleDebye: LAST([...stdout.matchAll(/molecular dipole:\s*\n.*tot \(Debye\)\s*\n.*\n\s*full:\s+\S+\s+\S+\s+\S+\s+(-?\d+\.\d+)/g)].map((m) => Number(m[1]))),
    totalEnergy: LAST(totals),
    gapEv: LAST(gaps),
    optimisationEnergies: cycleEnergies,
    optimisationConverged: converged ? true : failed ? false : null,
    cycles: converged ? Number(converged[1]) : cycleEnergies.length || null,
    normalTermination: /normal termination of xtb/.test(stderr) || /normal termination of xtb/.test(stdout),
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
