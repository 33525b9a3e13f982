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

  it('survives garbage', () => {
    expect(parseXtbOutput('nothing here', '{ truncated')).toMatchObject({ totalEnergy: null, gapEv: null, cycles: null });
  });
});
