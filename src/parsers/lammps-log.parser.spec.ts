import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from '../../test/support/corpus';
import { parseLammpsLog } from './lammps-log.parser';

const DIR = corpusDir('lammps');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')).files as Record<string, { facts: Record<string, any> }>;
const logs = Object.entries(expected).filter(([name]) => name.startsWith('log.') || name.endsWith('.out'));

describe('LAMMPS log parser against the corpus', () => {
  it.each(logs)('%s', (name, { facts }) => {
    const log = parseLammpsLog(readFileSync(join(DIR, name), 'utf8'));
    expect(log.version).toBe(facts.version_line ?? null);
    expect(log.warnings).toEqual(facts.warnings);
    expect(log.errors).toEqual(facts.errors);
    expect(log.lastCommand).toBe(facts.last_command_line);
    expect(log.loopTimes).toHaveLength(facts.n_loop_time_lines);
    expect(log.totalWallTime === null ? null : `Total wall time: ${log.totalWallTime}`).toBe(facts.total_wall_time_line);
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
