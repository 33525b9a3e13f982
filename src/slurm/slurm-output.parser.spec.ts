import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from '../../test/support/corpus';
import {
  DelimitedRowError,
  parseDelimited,
  parseExitCode,
  parseScontrolShowJob,
  parseState,
} from './slurm-output.parser';
import { slurmPhase } from './slurm-states';

const DIR = corpusDir('slurm');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')).files as Record<
  string,
  { facts: Record<string, any> }
>;
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');

describe('Slurm output parsers against the corpus', () => {
  it.each(['squeue_pysqa.txt', 'squeue_aiida_caret.txt'])('%s', (name) => {
    const { facts } = expected[name];
    const rows = parseDelimited(read(name), facts.delimiter, facts.columns);
    expect(rows).toEqual(facts.jobs);
  });

  it('sacct --parsable2 with a header, steps and arrays', () => {
    const { facts } = expected['sacct_parsable2_submitit.txt'];
    expect(parseDelimited(read('sacct_parsable2_submitit.txt'), '|')).toEqual(facts.rows);
  });

  it.each([
    'sacct_gc3pie_done_cancelled.txt',
    'sacct_gc3pie_done_timeout.txt',
    'sacct_gc3pie_done_fail_early.txt',
    'sacct_gc3pie_done_fractional_rusage.txt',
  ])('%s (--parsable, trailing delimiter)', (name) => {
    const { facts } = expected[name];
    const rows = parseDelimited(read(name), '|', facts.columns);
    expect(rows).toEqual(facts.rows);
  });

  it('sacct_gc3pie_done_node_fail.txt (test/fixtures/slurm, sources in SOURCES.md): a NODE_FAIL allocation whose step sacct shows with exit code -2:0', () => {
    const columns = [
      'JobID',
      'ExitCode',
      'State',
      'NCPUS',
      'Elapsed',
      'TotalCPU',
      'Submit',
      'Start',
      'End',
      'MaxRSS',
      'MaxVMSize',
    ];
    const [allocation, step] = parseDelimited(
      readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'slurm', 'sacct_gc3pie_done_node_fail.txt'), 'utf8'),
      '|',
      columns,
    );
    expect(parseExitCode(step.ExitCode)).toEqual({ code: -2, signal: 0 });
    expect(parseState(step.State)).toEqual({ state: 'CANCELLED', byUid: 1000 });
    expect(parseExitCode(allocation.ExitCode)).toEqual({ code: 1, signal: 0 });
    expect(slurmPhase(parseState(allocation.State).state)).toBe('requeue'); // an infrastructure failure: retried, not FAILED
  });

  it('reads states with their decorations and exit codes', () => {
    expect(parseState('CANCELLED by 1000')).toEqual({ state: 'CANCELLED', byUid: 1000 });
    expect(parseState('TIMEOUT')).toEqual({ state: 'TIMEOUT', byUid: null });
    expect(parseExitCode('0:15')).toEqual({ code: 0, signal: 15 });
    expect(parseExitCode('-2:0')).toEqual({ code: -2, signal: 0 }); // synthetic: sacct's negative step codes
    expect(parseExitCode('')).toBeNull();
    expect(slurmPhase('TIMEOUT')).toBe('failed');
    expect(slurmPhase('PD')).toBe('waiting');
    expect(slurmPhase(parseState('CANCELLED by 1000').state)).toBe('cancelled');
  });

  it('scontrol show job -o (one line)', () => {
    const [job] = parseScontrolShowJob(read('scontrol_show_job_oneliner_qtoolkit.txt'));
    expect(job).toMatchObject(expected['scontrol_show_job_oneliner_qtoolkit.txt'].facts.facts);
  });

  it('scontrol show job -dd (multi-line, several jobs, per-node lines)', () => {
    const { facts } = expected['scontrol_show_job_dd_cshuji.txt'];
    const jobs = parseScontrolShowJob(read('scontrol_show_job_dd_cshuji.txt'));
    expect(jobs).toHaveLength(facts.n_jobs);
    facts.jobs.forEach((want: Record<string, string | null>, i: number) => {
      for (const [key, value] of Object.entries(want)) expect([key, jobs[i][key] ?? null]).toEqual([key, value]);
    });
  });

  it('a row whose field count differs from the header is refused, naming the row (never shifted silently)', () => {
    const listing = 'JobID|State|ExitCode\n101|COMPLETED|0:0\n102|FAILED|because|1:0\n';
    expect(() => parseDelimited(listing, '|')).toThrow(DelimitedRowError);
    expect(() => parseDelimited(listing, '|')).toThrow('row 2 has 4 fields, the header 3: 102|FAILED|because|1:0');
    expect(() => parseDelimited('101|RUNNING\n', '|', ['id', 'state', 'reason'])).toThrow(
      /row 1 has 2 fields, the header 3/,
    );
  });
});
