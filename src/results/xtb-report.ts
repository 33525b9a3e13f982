import { parseVibspectrum, parseXtbOutput } from '../parsers/xtb-output.parser';
import { linePlot, stickSpectrum, type Plot } from './plots';
import type { Quantities } from './quantities';
import type { EnginePart, ReadOutput } from './report-parts';

/**
 * Hartree in kcal/mol and kJ/mol: CODATA 2018 (E_h = 4.3597447222071e-18 J; N_A = 6.02214076e23 mol⁻¹,
 * exact; 1 cal = 4.184 J, exact), as NIST's "Hartree energy" page gives them.
 */
export const HARTREE_KCAL_PER_MOL = 627.5094740631;
export const HARTREE_KJ_PER_MOL = 2625.4996394799;

const round = (value: number, digits: number) => Number(value.toFixed(digits));

/** An energy difference (a correction, not an absolute energy) in the units chemists read: kcal/mol and kJ/mol. */
function putChemistUnits(q: Quantities, label: string, eh: number | null): void {
  if (eh === null) return;
  q.put(label, round(eh * HARTREE_KCAL_PER_MOL, 3), 'kcal/mol');
  q.put(label, round(eh * HARTREE_KJ_PER_MOL, 3), 'kJ/mol');
}

/**
 * xtb's report: energies, gap, dipole, optimisation, xtb's own warnings as notes; for a Hessian
 * (freq, optfreq): every vibrational frequency, the IR stick spectrum from `vibspectrum`, and
 * the thermochemistry in Eh with its corrections also in kcal/mol and kJ/mol.
 */
export async function xtbReport(read: ReadOutput, q: Quantities, notes: string[]): Promise<EnginePart> {
  const stdout = await read('stdout.log');
  if (!stdout) {
    notes.push('xtb wrote no output');
    return { plots: [], version: null };
  }
  const out = parseXtbOutput(stdout, await read('xtbout.json'), (await read('stderr.log')) ?? '');
  notes.push(...out.warnings.map((w) => `xtb warning: ${w}`));
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
    q.put('vibrational frequencies', out.frequencies.map((f) => f.toFixed(2)).join(', '), 'cm⁻¹');
  }
  if (out.thermochemistry) {
    const t = out.thermochemistry;
    q.put('thermochemistry temperature', t.temperatureK, 'K');
    q.put('zero-point energy', t.zeroPointEnergy, 'Eh');
    putChemistUnits(q, 'zero-point energy', t.zeroPointEnergy);
    q.put('G(RRHO) contribution', t.gRrhoContribution, 'Eh');
    putChemistUnits(q, 'G(RRHO) contribution', t.gRrhoContribution);
    q.put('total enthalpy', t.totalEnthalpy, 'Eh');
    q.put('total free energy', t.totalFreeEnergy, 'Eh');
  }
  const plots: Plot[] = [];
  if (out.optimisationEnergies.length > 0)
    plots.push(
      await linePlot(
        'Energy against optimisation cycle',
        'cycle',
        'total energy (Eh)',
        out.optimisationEnergies.map((y, i) => ({ x: i + 1, y })),
      ),
    );
  const spectrum = parseVibspectrum((await read('vibspectrum')) ?? '');
  if (spectrum.length > 0) plots.push(await stickSpectrum('IR spectrum (xtb, harmonic)', spectrum));
  return { plots, version: out.version };
}
