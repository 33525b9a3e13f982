export const ETHANOL =
  '9\nethanol\nC -0.0017 -0.0052 0.0\nC 1.5113 0.0086 0.0\nO 1.9914 1.3551 0.0\nH -0.3866 1.0212 0.0\nH -0.3784 -0.5209 0.8842\nH -0.3784 -0.5209 -0.8842\nH 1.8852 -0.5083 0.8830\nH 1.8852 -0.5083 -0.8830\nH 2.9503 1.3420 0.0\n';

export const WATER = '3\nwater\nO 0.000 0.000 0.117\nH 0.000 0.757 -0.467\nH 0.000 -0.757 -0.467\n';

// Test jobs run their engine: reuse (nothing computed twice) is off unless a test turns it on
// (result-reuse.spec.ts), since most files submit the same molecule many times to watch it run.

export const xtbJob = (over: Record<string, unknown> = {}) => ({
  type: 'qc',
  engine: 'xtb',
  name: 'water sp',
  qc: { xyz: WATER, charge: 0, multiplicity: 1, task: 'sp', gfn: 2 },
  reuse: false,
  ...over,
});

export const gaussianJob = (over: Record<string, unknown> = {}) => ({
  type: 'qc',
  engine: 'gaussian',
  qc: { xyz: WATER, charge: 0, multiplicity: 1, task: 'opt', method: 'B3LYP', basis: '6-31G(d)' },
  resources: { tasks: 2, walltimeMinutes: 30, memoryMb: 2000 },
  reuse: false,
  ...over,
});

export const meltJob = (over: Record<string, unknown> = {}) => ({
  type: 'md',
  engine: 'lammps',
  md: { template: 'lj-melt', params: { atomsPerSide: 4, temperature: 3.0, steps: 200 } },
  resources: { tasks: 1, walltimeMinutes: 10 },
  reuse: false,
  ...over,
});

/** A crude zig-zag alkane C(n)H(2n+2): xtb needs a few seconds and ~20 cycles to optimise it (n = 50: 152 atoms, ~4 s). */
export function alkaneChain(n: number): string {
  const atoms: [string, number, number, number][] = [];
  for (let i = 0; i < n; i++) atoms.push(['C', i * 1.27, i % 2 === 0 ? 0 : 0.85, 0]);
  for (let i = 0; i < n; i++) {
    const [, x, y] = atoms[i];
    const dy = (i % 2 === 0 ? -0.9 : 0.9) * 0.6;
    atoms.push(['H', x, y + dy, 0.9], ['H', x, y + dy, -0.9]);
  }
  atoms.push(['H', -1, 0, 0], ['H', (n - 1) * 1.27 + 1, atoms[n - 1][2], 0]);
  return `${atoms.length}\nalkane C${n}\n${atoms.map(([s, x, y, z]) => `${s} ${x.toFixed(4)} ${y.toFixed(4)} ${z.toFixed(4)}`).join('\n')}\n`;
}
