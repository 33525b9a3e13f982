import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from '../../test/support/corpus';
import { lammpsProgress, lammpsTotalSteps, optimisationProgress } from './progress';

const CORPUS = corpusDir('lammps');

describe('engine progress', () => {
  it('sums the run commands of a LAMMPS script', () => {
    expect(lammpsTotalSteps('run 100\n# run 5\nrun     250 upto\nminimize 1 1 1 1\n')).toBe(350);
  });

  it('reads the last thermo step of a real LAMMPS log', () => {
    const log = readFileSync(join(CORPUS, 'log.5Oct16.melt.g++.1'), 'utf8');
    const partial = log.slice(0, log.indexOf('     150 '));
    expect(lammpsProgress(partial, 250)).toBeCloseTo(100 / 250);
    expect(lammpsProgress('no thermo yet', 250)).toBeNull();
  });

  it('counts optimisation cycles', () => {
    expect(optimisationProgress('... CYCLE    1 ...\n... CYCLE    2 ...')).toBeCloseTo(1 - 0.8 ** 2);
    expect(optimisationProgress('single point')).toBeNull();
  });
});
