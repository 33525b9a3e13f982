import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLammpsLog } from './lammps-log.parser';

const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'lammps', name), 'utf8');

describe('LAMMPS YAML thermo (issue 29.5)', () => {
  it('log.7Apr22.yaml.g++.1 (LAMMPS 24 Mar 2022, `thermo_style yaml`): both runs are read from their YAML documents', () => {
    const log = parseLammpsLog(fixture('log.7Apr22.yaml.g++.1'));
    expect(log.version).toBe('LAMMPS (24 Mar 2022)');
    expect(log.thermoBlocks.map((b) => [b.style, b.ending, b.firstStep, b.lastStep, b.rows.length])).toEqual([
      ['yaml', 'completed', 0, 100, 11],
      ['yaml', 'completed', 100, 200, 11],
    ]);
    expect(log.thermoBlocks[0].columns).toEqual([
      'Step',
      'Temp',
      'KinEng',
      'PotEng',
      'E_bond',
      'E_angle',
      'E_dihed',
      'E_impro',
      'E_vdwl',
      'E_coul',
      'E_long',
      'Press',
    ]);
    expect(log.thermoBlocks[1].rows[10]).toMatchObject({
      Step: 200,
      Temp: 0.759531750132731,
      PotEng: -5.76188923485725,
      Press: 0.209105747192796,
    });
    expect(log.runsWithoutThermo).toEqual([]);
    expect(log.completedNormally).toBe(true);
  });

  it('quoted keywords (LAMMPS 2023 and later, layout from its unittest/formats/test_thermo.cpp) and a document cut short', () => {
    const log = parseLammpsLog(
      [
        'LAMMPS (2 Aug 2023)',
        '---',
        "keywords: ['Step', 'Temp', 'c_msd[4]', 'v_a/b', ]",
        'data:',
        '  - [0, 1.44, 0, 2.5, ]',
        '  - [10, 1.12, 0.015, 2.6, ]',
        '...',
        'Loop time of 0.1 on 1 procs for 10 steps with 4000 atoms',
        '---',
        "keywords: ['Step', 'Temp', 'c_msd[4]', 'v_a/b', ]",
        'data:',
        '  - [10, 1.12, 0.015, 2.6, ]',
        '  - [20, 0.9, 0.03, 2.7, ]',
      ].join('\n'),
    );
    expect(log.thermoBlocks.map((b) => [b.ending, b.lastStep])).toEqual([
      ['completed', 10],
      ['incomplete', 20],
    ]);
    expect(log.thermoBlocks[1].rows[1]).toEqual({ Step: 20, Temp: 0.9, 'c_msd[4]': 0.03, 'v_a/b': 2.7 });
  });

  it('a run whose thermo is in no known form is counted as a run without thermo (derived from the real YAML log)', () => {
    // the real log with its YAML documents removed: two runs end ("Loop time"), none printed a readable table
    const stripped = fixture('log.7Apr22.yaml.g++.1').replace(/^---\n[\s\S]*?^\.\.\.\n/gm, '');
    const log = parseLammpsLog(stripped);
    expect(log.thermoBlocks).toEqual([]);
    expect(log.loopTimes).toHaveLength(2);
    expect(log.runsWithoutThermo).toEqual([1, 2]);
  });
});
