import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLammpsLog } from './lammps-log.parser';

const DIR = join(__dirname, '..', '..', 'test', 'fixtures', 'lammps');
const read = (name: string) => parseLammpsLog(readFileSync(join(DIR, name), 'utf8'));
/** The "Versions checked" table of test/fixtures/lammps/SOURCES.md: file → version line. */
const table = new Map(
  [...readFileSync(join(DIR, 'SOURCES.md'), 'utf8').matchAll(/^\| `([^`]+)` \| `(LAMMPS \([^`]+\))` \|$/gm)].map(
    (m) => [m[1], m[2]] as const,
  ),
);
const logs = readdirSync(DIR).filter((f) => f !== 'SOURCES.md' && !f.endsWith('.in'));

describe('LAMMPS versions the parser is checked against (issue 29.7, test/fixtures/lammps/SOURCES.md)', () => {
  it.each(logs)('%s is listed with the version it prints, and every run in it has its thermo read', (name) => {
    const log = read(name);
    expect([name, table.get(name)]).toEqual([name, log.version]);
    expect(log.thermoBlocks.length).toBeGreaterThan(0);
    expect(log.runsWithoutThermo).toEqual([]);
  });

  it('each current major line has a real log: 2021 (29 Oct 2020 … 29 Sep 2021) and 2023/2024', () => {
    const versions = [...table.values()];
    expect(versions.some((v) => /\b(Oct|Nov|Dec) 2020|\b2021\b/.test(v))).toBe(true);
    expect(versions.some((v) => /\b202[34]\b/.test(v))).toBe(true);
    expect([...table.keys()].sort()).toEqual([...logs].sort());
  });

  it('log.8Apr21.melt.g++.1 (LAMMPS 8 Apr 2021): the left-aligned header, one run of 250 steps', () => {
    const log = read('log.8Apr21.melt.g++.1');
    expect(
      log.thermoBlocks.map((b) => [b.columns.join(' '), b.ending, b.firstStep, b.lastStep, b.rows.length]),
    ).toEqual([['Step Temp E_pair E_mol TotEng Press', 'completed', 0, 250, 6]]);
    expect(log.thermoBlocks[0].rows[5]).toEqual({
      Step: 250,
      Temp: 1.6645597,
      E_pair: -4.7774327,
      E_mol: 0,
      TotEng: -2.2812174,
      Press: 5.7526089,
    });
    expect(log.completedNormally).toBe(true);
  });

  it('log.5Dec23.compute.g++.1 (LAMMPS 21 Nov 2023): the right-aligned header of 2022+, a doubly bracketed compute, run 0', () => {
    const log = read('log.5Dec23.compute.g++.1');
    expect(log.thermoBlocks.map((b) => [b.header, b.ending, b.rows])).toEqual([
      ['Step          Temp      c_pace[1][183]', 'completed', [{ Step: 0, Temp: 0, 'c_pace[1][183]': 8.6885642 }]],
    ]);
    expect(log.warnings).toEqual(["WARNING: No fixes with time integration, atoms won't move (src/verlet.cpp:60)"]);
    expect(log.loopTimes).toEqual([{ seconds: 1.217e-6, procs: 1, steps: 0, atoms: 161 }]);
    expect(log.completedNormally).toBe(true);
  });
});
