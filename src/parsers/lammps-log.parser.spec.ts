import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from '../../test/support/corpus';
import { parseLammpsLog } from './lammps-log.parser';

const DIR = corpusDir('lammps');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')).files as Record<
  string,
  { facts: Record<string, any> }
>;
const logs = Object.entries(expected).filter(([name]) => name.startsWith('log.') || name.endsWith('.out'));

describe('LAMMPS log parser against the corpus', () => {
  it.each(logs)('%s', (name, { facts }) => {
    const log = parseLammpsLog(readFileSync(join(DIR, name), 'utf8'));
    expect(log.version).toBe(facts.version_line ?? null);
    expect(log.warnings).toEqual(facts.warnings);
    expect(log.errors).toEqual(facts.errors);
    expect(log.lastCommand).toBe(facts.last_command_line);
    expect(log.loopTimes).toHaveLength(facts.n_loop_time_lines);
    expect(log.totalWallTime === null ? null : `Total wall time: ${log.totalWallTime}`).toBe(
      facts.total_wall_time_line,
    );
    expect(log.completedNormally).toBe(facts.completed_normally);
    expect(log.thermoBlocks).toHaveLength(facts.n_thermo_blocks);
    facts.thermo_blocks.forEach((want: Record<string, any>, i: number) => {
      const got = log.thermoBlocks[i];
      expect(got.rows).toHaveLength(want.n_rows);
      expect(got.firstStep).toBe(want.first_step);
      expect(got.lastStep).toBe(want.last_step);
      if (want.style === 'multi') {
        expect(got.style).toBe('multi');
        expect(got.columns.slice(1)).toEqual(want.keys);
      } else {
        expect(got.columns).toEqual(want.columns);
      }
      for (const [column, value] of Object.entries(want.final_values as Record<string, string>)) {
        expect(got.rows[got.rows.length - 1][column]).toBeCloseTo(Number(value), 6);
      }
    });
  });
});

describe('LAMMPS thermo headers by structure', () => {
  // synthetic, in the exact layout LAMMPS prints; the real files are below
  const log = [
    'LAMMPS (7 Aug 2019)',
    'Step Temp E_pair TotEng Press ',
    '       0          1.5   -6.7733681   -4.5538681   -5.0244179 ',
    '     100    0.7574531   -5.7585055   -4.6376223   0.20726105 ',
    'Loop time of 0.1 on 1 procs for 100 steps with 4000 atoms',
    '',
    'Step Temp 2[9] c_msd[4] v_a/b Temp ',
    '     100    0.7574531            3      0.015      2.5    0.8 ',
    '     200    0.7000000            4      0.030      2.6    0.9 ',
    'Loop time of 0.2 on 1 procs for 100 steps with 4000 atoms',
    '',
    'Total wall time: 0:00:01',
  ].join('\n');

  it('a header with digit-led or bracketed names is a block of its own: the final values come from this run, not the previous', () => {
    const parsed = parseLammpsLog(log);
    expect(parsed.thermoBlocks).toHaveLength(2);
    const second = parsed.thermoBlocks[1];
    expect(second.columns).toEqual(['Step', 'Temp', '2[9]', 'c_msd[4]', 'v_a/b', 'Temp#2']);
    expect({ first: second.firstStep, last: second.lastStep }).toEqual({ first: 100, last: 200 });
    expect(second.rows[1]).toEqual({ Step: 200, Temp: 0.7, '2[9]': 4, 'c_msd[4]': 0.03, 'v_a/b': 2.6, 'Temp#2': 0.9 });
  });

  it('a "Step …" line not followed by a numeric row of its width starts no block', () => {
    const parsed = parseLammpsLog('Step Temp Press\nsomething else\n  0 1.0 2.0 3.0\n');
    expect(parsed.thermoBlocks).toEqual([]);
  });
});

describe('LAMMPS thermo headers on real public logs (test/fixtures/lammps, sources in SOURCES.md)', () => {
  const fixture = (name: string) =>
    parseLammpsLog(readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'lammps', name), 'utf8'));

  it('log.line.srd.10Sep13 (LAMMPS 9 Sep 2013): "Step Temp tsmall 2[9] 1 TotEng …" is read in both runs, the last values from the last run', () => {
    const log = fixture('log.line.srd.10Sep13');
    expect(log.thermoBlocks.map((b) => [b.columns.join(' '), b.firstStep, b.lastStep, b.rows.length])).toEqual([
      ['Step Temp tsmall 2[9] 1 TotEng pebig ebig Press', 0, 10000, 11],
      ['Step Temp tsmall 2[9] 1 TotEng pebig ebig Press', 10000, 50000, 41],
    ]);
    expect(log.thermoBlocks[1].rows[40]).toEqual({
      Step: 50000,
      Temp: 0,
      tsmall: 1.0335509,
      '2[9]': 0.93651862,
      '1': 0.00049456314,
      TotEng: -0.03110686,
      pebig: -1.5774289,
      ebig: -1.5774289,
      Press: 56.656467,
    });
  });

  it('log.dimer.mp.10Sep13: a column printed twice ("2[8]", 3rd and 15th) keeps both values by position', () => {
    const log = fixture('log.dimer.mp.10Sep13');
    const srd = log.thermoBlocks[1];
    expect(srd.columns.filter((c) => c.startsWith('2[8]'))).toEqual(['2[8]', '2[8]#2']);
    expect(srd.columns).toHaveLength(19);
    expect(srd.rows[1]).toMatchObject({ Step: 1000, '2[8]': 3806, '2[8]#2': 3806, '2[9]': 1.0164848 });
  });

  it('spce-water-msd.log.lammps (LAMMPS 29 Sep 2021): "c_msd[4]" and "v_…" columns, the MSD run read to its last step', () => {
    const log = fixture('spce-water-msd.log.lammps');
    expect(log.thermoBlocks.map((b) => b.columns[3])).toEqual(['Press', 'c_msd[4]']);
    expect(log.thermoBlocks[1].lastStep).toBe(500000);
    expect(log.loopTimes.map((l) => l.steps)).toEqual([1000, 500000]);
  });
});

describe('LAMMPS minimisation stats (corpus)', () => {
  it('log.5Oct16.min.g++.1: stopping criterion, final energy and force norms, iterations', () => {
    const log = parseLammpsLog(readFileSync(join(DIR, 'log.5Oct16.min.g++.1'), 'utf8'));
    expect(log.minimizations).toEqual([
      {
        stoppingCriterion: 'energy tolerance',
        energyInitial: -0.790781812776,
        energyFinal: -2.91694356781,
        forceTwoNormFinal: 0.794548,
        forceMaxComponentFinal: 0.268404,
        iterations: 475,
      },
    ]);
  });

  it('a run without minimize has none', () => {
    expect(parseLammpsLog(readFileSync(join(DIR, 'log.5Oct16.melt.g++.1'), 'utf8')).minimizations).toEqual([]);
  });
});

describe('LAMMPS: how each run ended, with its header line', () => {
  const fixture = (name: string) =>
    parseLammpsLog(readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'lammps', name), 'utf8'));
  const endings = (name: string) => fixture(name).thermoBlocks.map((b) => [b.header, b.ending, b.lastStep]);

  it('corpus logs: every run completed (melt, minimize, the CHO run of 8 Oct 2024)', () => {
    for (const name of ['log.5Oct16.melt.g++.1', 'log.5Oct16.min.g++.1', 'log.8Oct24.linux.8.CHO']) {
      const log = parseLammpsLog(readFileSync(join(DIR, name), 'utf8'));
      expect(log.thermoBlocks.length).toBeGreaterThan(0);
      expect(log.thermoBlocks.map((b) => b.ending)).toEqual(log.thermoBlocks.map(() => 'completed'));
    }
  });

  it('debian-lmp-timeout.log (Debian LAMMPS 29 Sep 2021, `timer timeout`): the second run stopped at the wall-time limit', () => {
    expect(endings('debian-lmp-timeout.log')).toEqual([
      ['Step Temp E_pair E_mol TotEng Press', 'completed', 100],
      ['Step Temp E_pair E_mol TotEng Press', 'timeout', 4500],
    ]);
  });

  it('debian-lmp-halt.log (`fix halt … error continue`, printed without WARNING): the second run was halted at step 110', () => {
    const log = fixture('debian-lmp-halt.log');
    expect(log.thermoBlocks.map((b) => b.ending)).toEqual(['completed', 'halted']);
    expect(log.loopTimes.map((l) => l.steps)).toEqual([100, 10]);
    expect(log.completedNormally).toBe(true);
  });

  it('debian-lmp-lost.log (timestep 0.5 in LJ units loses atoms): the second run ended with its ERROR', () => {
    const log = fixture('debian-lmp-lost.log');
    expect(log.thermoBlocks.map((b) => b.ending)).toEqual(['completed', 'error']);
    expect(log.errors[0]).toMatch(/^ERROR: Lost atoms: original 864 current \d+/);
    expect(log.completedNormally).toBe(false);
  });

  it('a log cut short inside a run leaves that run incomplete; a multi block keeps its first banner as header (synthetic)', () => {
    const cut = parseLammpsLog('Step Temp\n 0 1.0\n 10 0.9\n');
    expect(cut.thermoBlocks.map((b) => [b.header, b.ending])).toEqual([['Step Temp', 'incomplete']]);
    const multi = parseLammpsLog(
      '---------------- Step        0 ----- CPU =      0.0000 (sec) ----------------\nTotEng = -1.0 KinEng = 2.0\nLoop time of 0.1 on 1 procs for 0 steps with 10 atoms\n',
    );
    expect(multi.thermoBlocks.map((b) => [b.header.startsWith('---------------- Step        0'), b.ending])).toEqual([
      [true, 'completed'],
    ]);
  });
});
