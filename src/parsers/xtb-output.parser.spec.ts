import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseXtbOutput } from './xtb-output.parser';

const F = (name: string) => readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'xtb', name), 'utf8');

describe('xtb output parser (outputs of Debian xtb 6.5.1 runs kept as fixtures)', () => {
  it('reads an optimisation: energy per cycle, convergence, final energy and gap', () => {
    const out = parseXtbOutput(F('ethanol-opt.stdout.log'), F('ethanol-opt.xtbout.json'), 'normal termination of xtb');
    expect(out.optimisationConverged).toBe(true);
    expect(out.cycles).toBe(5);
    expect(out.optimisationEnergies).toEqual([-11.387833, -11.3885248, -11.3885922, -11.3886052, -11.3886067]);
    expect(out.totalEnergy).toBeCloseTo(-11.38860667, 8);
    expect(out.gapEv).toBeCloseTo(12.41934036, 6);
    expect(out.normalTermination).toBe(true);
    expect(out.version).toBe('xtb 6.5.1');
    expect(out.dipoleDebye).toBe(1.667);
  });

  it('reads a single point from stdout alone', () => {
    const out = parseXtbOutput(F('water-sp.stdout.log'));
    expect(out.totalEnergy).toBeCloseTo(-5.07, 2);
    expect(out.gapEv).toBeGreaterThan(10);
    expect(out.optimisationEnergies).toEqual([]);
    expect(out.optimisationConverged).toBeNull();
    expect(out.dipoleDebye).toBe(2.266);
  });

  it('water-ohess (xtb 6.5.1 --ohess, made here): frequencies without the 6 zero modes, RRHO thermochemistry', () => {
    const out = parseXtbOutput(F('water-ohess.stdout.log'));
    expect(out.frequencies).toEqual([1539.18, 3644.5, 3652.98]);
    expect(out.imaginaryFrequencies).toBe(0);
    expect(out.thermochemistry).toEqual({
      temperatureK: 298.15,
      zeroPointEnergy: 0.020131400227,
      gRrhoContribution: 0.002513597565,
      totalEnthalpy: -5.04663200695,
      totalFreeEnergy: -5.068030828398,
    });
    expect(out.totalEnergy).toBe(-5.070544425963);
    expect(out.optimisationConverged).toBe(true);
  });

  it('the frequency printout as xtb\'s documentation shows it (older "(cm-1)" heading, 21 values of which "# frequencies" counts 15)', () => {
    const doc = [
      'projected vibrational frequencies (cm-1)',
      'eigval :       -0.00    -0.00    -0.00     0.00     0.00     0.00',
      'eigval :       40.69   211.99   360.40   405.89   601.08   759.17',
      'eigval :      829.07  1371.91  1375.70  1477.42  2297.37  3115.69',
      'eigval :     3190.88  3197.05  3648.64',
      'reduced masses (amu)',
      '            :  # frequencies                          15      :',
      '            :  # imaginary freq.                       0      :',
      '            :: total free energy          -8.613409150740 Eh   ::',
      '            :: total energy               -8.640016786693 Eh   ::',
      '            :: zero point energy           0.052131167146 Eh   ::',
      '            :: G(RRHO) contrib.           -0.025523531193 Eh   ::',
    ].join('\n');
    const out = parseXtbOutput(doc);
    expect(out.frequencies).toHaveLength(15);
    expect(out.frequencies[0]).toBe(40.69);
    expect(out.thermochemistry).toMatchObject({
      zeroPointEnergy: 0.052131167146,
      gRrhoContribution: -0.025523531193,
      totalFreeEnergy: -8.61340915074,
      totalEnthalpy: null,
    });
  });

  it('ethanol-hess-unoptimised (xtb 6.5.1 --hess on a geometry that is no minimum): the imaginary mode is kept and counted', () => {
    const out = parseXtbOutput(F('ethanol-hess-unoptimised.stdout.log'));
    expect(out.frequencies).toHaveLength(21); // 3N - 6; "# frequencies" says 20, counting real modes only
    expect(out.frequencies.slice(0, 2)).toEqual([-176.17, 233.32]);
    expect(out.imaginaryFrequencies).toBe(1);
    expect(out.thermochemistry?.totalFreeEnergy).toBe(-11.335284414477);
  });

  it('a single point has no frequencies or thermochemistry', () => {
    expect(parseXtbOutput(F('water-sp.stdout.log'))).toMatchObject({
      frequencies: [],
      imaginaryFrequencies: null,
      thermochemistry: null,
    });
  });

  it('survives garbage', () => {
    expect(parseXtbOutput('nothing here', '{ truncated')).toMatchObject({
      totalEnergy: null,
      gapEv: null,
      cycles: null,
    });
  });
});

describe('xtb output parser on public outputs of xtb 6.4.1, 6.6.1 and 6.7.1 (test/fixtures/xtb/SOURCES.md)', () => {
  it('chemsmart-xtb671-co2-ohess (xtb 6.7.1, linear CO2): the "vibrational frequencies" block without "projected", 5 zero modes left out', () => {
    const out = parseXtbOutput(F('chemsmart-xtb671-co2-ohess.stdout.log'));
    expect(out.version).toBe('xtb 6.7.1');
    expect(out.frequencies).toEqual([600.31, 600.31, 1424.78, 2593.07]);
    expect(out.imaginaryFrequencies).toBe(0);
    expect(out.thermochemistry).toEqual({
      temperatureK: 298.15,
      zeroPointEnergy: 0.011888572359,
      gRrhoContribution: -0.008800347997,
      totalEnthalpy: -10.292932643737,
      totalFreeEnergy: -10.317252637172,
    });
    expect(out.optimisationConverged).toBe(true);
  });

  it('chemsmart-xtb671-acetaldehyde-hess (xtb 6.7.1, non-linear): still "projected vibrational frequencies", 6 zero modes left out', () => {
    const out = parseXtbOutput(F('chemsmart-xtb671-acetaldehyde-hess.stdout.log'));
    expect(out.version).toBe('xtb 6.7.1');
    expect(out.frequencies).toHaveLength(15);
    expect(out.frequencies.slice(0, 2)).toEqual([151.34, 501.81]);
    expect(out.frequencies[14]).toBe(3059.76);
    expect(out.dipoleDebye).toBe(3.102);
  });

  it('one atom (excerpt of chemsmart he_hess.out, xtb 6.7.1 --hess on He): its three 0.50 cm⁻¹ values are no vibrations', () => {
    const excerpt = [
      ' vibrational frequencies (cm⁻¹)',
      'eigval :        0.50     0.50     0.50',
      '          :  linear?                              true      :',
      '          :  only rotor calc.                     true      :',
    ].join('\n');
    expect(parseXtbOutput(excerpt).frequencies).toEqual([]);
  });

  it('cclib-xtb661-dvb-ir (xtb 6.6.1 --hess): 54 frequencies, and the gap of the final box, not of the first summary', () => {
    const out = parseXtbOutput(F('cclib-xtb661-dvb-ir.stdout.log'));
    expect(out.version).toBe('xtb 6.6.1');
    expect(out.frequencies).toHaveLength(54);
    expect(out.frequencies.slice(0, 2)).toEqual([26.15, 39.77]);
    expect(out.gapEv).toBe(3.01828812347); // "| HOMO-LUMO GAP  3.018288123470 eV |"; the SUMMARY said 3.018288612961
    expect(out.thermochemistry?.totalFreeEnergy).toBe(-26.310999637373);
  });

  it("the last gap printed wins in xtb 6.7.1 too (final box 8.448655866329 eV after the summary's 8.448655876388)", () => {
    expect(parseXtbOutput(F('chemsmart-xtb671-co2-ohess.stdout.log')).gapEv).toBe(8.448655866329);
    expect(parseXtbOutput(F('chemsmart-xtb671-acetaldehyde-hess.stdout.log')).gapEv).toBe(3.938837918447);
  });

  it('nomad-xtb641-gfn1-water-opt (GFN1-xTB): the dipole as GFN1 prints it ("dipole moment from electron density (au)" … "total (Debye):")', () => {
    const out = parseXtbOutput(F('nomad-xtb641-gfn1-water-opt.stdout.log'));
    expect(out.version).toBe('xtb 6.4.1');
    expect(out.dipoleDebye).toBe(2.769);
    expect(out.gapEv).toBe(9.347706304979);
    expect(out.optimisationConverged).toBe(true);
  });
});

describe('xtb versions checked (test/fixtures/xtb/SOURCES.md, "Versions checked")', () => {
  it.each([
    ['water-ohess.stdout.log', 'xtb 6.5.1', 3],
    ['cclib-xtb661-dvb-ir.stdout.log', 'xtb 6.6.1', 54],
    ['chemsmart-xtb671-co2-ohess.stdout.log', 'xtb 6.7.1', 4],
    ['chemsmart-xtb671-acetaldehyde-hess.stdout.log', 'xtb 6.7.1', 15],
  ])('%s (%s): a Hessian run read whole — frequencies, thermochemistry, gap, dipole', (name, version, modes) => {
    const out = parseXtbOutput(F(name));
    expect(out.version).toBe(version);
    expect(out.frequencies).toHaveLength(modes);
    expect(out.imaginaryFrequencies).toBe(0);
    expect(out.thermochemistry?.totalFreeEnergy).toEqual(expect.any(Number));
    expect(out.gapEv).toEqual(expect.any(Number));
    expect(out.dipoleDebye).toEqual(expect.any(Number));
  });
});
