import type { LjMeltSpec } from '../jobs/job-spec';

/** The LAMMPS "melt" example with the user's size, temperature, seed and run length. */
export function renderLjMelt({ params: p }: LjMeltSpec): string {
  return [
    '# molq: 3d Lennard-Jones melt (LAMMPS examples/melt), reduced units',
    'units           lj',
    'atom_style      atomic',
    '',
    'lattice         fcc 0.8442',
    `region          box block 0 ${p.atomsPerSide} 0 ${p.atomsPerSide} 0 ${p.atomsPerSide}`,
    'create_box      1 box',
    'create_atoms    1 box',
    'mass            1 1.0',
    '',
    `velocity        all create ${p.temperature} ${p.seed} loop geom`,
    '',
    'pair_style      lj/cut 2.5',
    'pair_coeff      1 1 1.0 1.0 2.5',
    '',
    'neighbor        0.3 bin',
    'neigh_modify    every 20 delay 0 check no',
    '',
    'fix             1 all nve',
    '',
    'thermo_style    custom step temp pe ke etotal press',
    'thermo_modify   flush yes',
    `thermo          ${p.thermoEvery}`,
    `run             ${p.steps}`,
    '',
    'write_dump      all atom final.dump',
    '',
  ].join('\n');
}
