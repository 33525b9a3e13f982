export const WATER = '3\nwater\nO 0.000 0.000 0.117\nH 0.000 0.757 -0.467\nH 0.000 -0.757 -0.467\n';

export const xtbJob = (over: Record<string, unknown> = {}) => ({
  type: 'qc',
  engine: 'xtb',
  name: 'water sp',
  qc: { xyz: WATER, charge: 0, multiplicity: 1, task: 'sp', gfn: 2 },
  ...over,
});

export const gaussianJob = (over: Record<string, unknown> = {}) => ({
  type: 'qc',
  engine: 'gaussian',
  qc: { xyz: WATER, charge: 0, multiplicity: 1, task: 'opt', method: 'B3LYP', basis: '6-31G(d)' },
  resources: { tasks: 2, walltimeMinutes: 30, memoryMb: 2000 },
  ...over,
});

export const meltJob = (over: Record<string, unknown> = {}) => ({
  type: 'md',
  engine: 'lammps',
  md: { template: 'lj-melt', params: { atomsPerSide: 4, temperature: 3.0, steps: 200 } },
  resources: { tasks: 1, walltimeMinutes: 10 },
  ...over,
});
