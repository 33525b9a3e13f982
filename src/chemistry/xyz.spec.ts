import { MAX_ATOMS, parseXyz, spinProblem } from './xyz';

const WATER = '3\nwater\nO 0.000 0.000 0.117\nH 0.000 0.757 -0.467\nH 0.000 -0.757 -0.467\n';

describe('parseXyz', () => {
  it('reads the standard form', () => {
    const m = parseXyz(WATER);
    expect(m.comment).toBe('water');
    expect(m.atoms).toHaveLength(3);
    expect(m.atoms[1]).toEqual({ symbol: 'H', x: 0, y: 0.757, z: -0.467 });
    expect(m.nuclearCharge).toBe(10);
  });

  it('reads bare atom lines, lower-case symbols and Fortran exponents', () => {
    const m = parseXyz('cl 0 0 0\nNA 1.0D0 0 0\n');
    expect(m.atoms.map((a) => a.symbol)).toEqual(['Cl', 'Na']);
    expect(m.atoms[1].x).toBe(1);
  });

  it.each([
    ['3\nw\nXx 0 0 0\nH 0 0 1\nH 0 1 0', /line 3: unknown element symbol "Xx"/],
    ['O 0 0 nan', /line 1: "nan" is not a number/],
    ['O 0 0 1e400', /not finite/],
    ['O 0 0', /line 1: expected "Element x y z"/],
    ['4\nw\nO 0 0 0\nH 0 0 1\nH 0 1 0', /first line says 4 atoms but 3 follow/],
    ['', /no atoms/],
    ['O 0 0 0\n\nH 0 0 1', /line 2: blank line/],
    ['O 0 0 0\0', /NUL/],
    [Array.from({ length: MAX_ATOMS + 1 }, () => 'H 0 0 0').join('\n'), /more than 500 atoms/],
  ])('refuses %#', (text, message) => {
    expect(() => parseXyz(text)).toThrow(message);
  });
});

describe('spinProblem', () => {
  const water = parseXyz(WATER);
  it('accepts singlet water, doublet water cation, triplet water', () => {
    expect(spinProblem(water, 0, 1)).toBeNull();
    expect(spinProblem(water, 1, 2)).toBeNull();
    expect(spinProblem(water, 0, 3)).toBeNull();
  });
  it('refuses a parity mismatch and impossible multiplicities', () => {
    expect(spinProblem(water, 0, 2)).toMatch(/multiplicity 2 is impossible with 10 electrons/);
    expect(spinProblem(water, 11, 1)).toMatch(/leaves -1 electrons/);
    expect(spinProblem(parseXyz('H 0 0 0'), 0, 4)).toMatch(/needs more than 1 unpaired/);
  });
});
