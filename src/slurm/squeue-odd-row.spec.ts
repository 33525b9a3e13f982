import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SlurmDriver } from './slurm-driver';
import { parseDelimitedRows } from './slurm-output.parser';
import { SlurmPoller } from './slurm-poller';
import { fakeSsh } from '../../test/support/fake-ssh';

/** squeue in molq's own layout (-o '%i|%T|%r'), one row with a reason holding "|" (SOURCES.md: constructed from a real listing). */
const LISTING = readFileSync(
  join(__dirname, '..', '..', 'test', 'fixtures', 'slurm', 'squeue_molq_layout_odd_row.txt'),
  'utf8',
);
const IDS = ['862540', '863100', '863546', '863313', '862538', '861352', '863553', '863554'];

const cluster = { workRoot: '/w', name: 'test', programs: { lmp: 'lmp', xtb: 'xtb', g16: 'g16' }, setup: {} };

describe('one odd squeue row does not refuse the listing (issue 29.6)', () => {
  it('parseDelimitedRows: the row with one field too many is skipped and named, the other seven are read unshifted', () => {
    const { rows, skipped } = parseDelimitedRows(LISTING, '|', ['id', 'state', 'reason']);
    expect(rows.map((r) => r.id)).toEqual(IDS.filter((id) => id !== '863313'));
    expect(rows[3]).toEqual({ id: '862538', state: 'RUNNING', reason: 'None' });
    expect(skipped.map((e) => [e.row, e.fields, e.expected, e.line])).toEqual([
      [4, 4, 3, '863313|PENDING|JobHeldUser|nightly'],
    ]);
  });

  it('a real listing (slurm_exporter issue #1, comma-delimited): the job whose partition list holds the delimiter is skipped, the other read', () => {
    const real = readFileSync(
      join(__dirname, '..', '..', 'test', 'fixtures', 'slurm', 'squeue_slurm_exporter_issue1_comma.txt'),
      'utf8',
    );
    const { rows, skipped } = parseDelimitedRows(real, ',', ['partition', 'state', 'cpus', 'reason', 'user']);
    expect(rows).toEqual([{ partition: 'bar', state: 'RUNNING', cpus: '60', reason: 'None', user: 'user' }]);
    expect(skipped.map((e) => [e.row, e.fields, e.expected, e.line])).toEqual([
      [2, 6, 5, 'foo,bar,PENDING,60,Licenses,user'],
    ]);
  });

  it('SlurmDriver.poll: every other job has its state; the skipped row is reported with its job, which is not asked of sacct', async () => {
    const { ssh, commands } = fakeSsh({ squeue: { code: 0, stdout: LISTING, stderr: '' } });
    const states = await new SlurmDriver(ssh, cluster).poll(IDS);
    expect(commands).toHaveLength(1); // no sacct: the odd job is not "gone", only unread this time
    expect([...states.keys()]).toEqual(IDS.filter((id) => id !== '863313'));
    expect(states.get('863100')).toMatchObject({ state: 'PENDING', reason: 'Resources', phase: 'waiting' });
    expect(states.get('863554')?.phase).toBe('running');
    expect(states.has('863313')).toBe(false);
    expect(states.skipped.map((s) => [s.listing, s.schedulerId, s.error.message])).toEqual([
      ['squeue', '863313', 'row 4 has 4 fields, the header 3: 863313|PENDING|JobHeldUser|nightly'],
    ]);
  });

  it('SlurmPoller: the skipped job\'s waiter gets an error (asked again next cycle, never "Slurm knows no such job"); the others their state', async () => {
    const { ssh } = fakeSsh({ squeue: { code: 0, stdout: LISTING, stderr: '' } });
    const poller = new SlurmPoller(new SlurmDriver(ssh, cluster), 1);
    try {
      const [odd, held, running] = await Promise.allSettled([
        poller.next('863313'),
        poller.next('863546'),
        poller.next('862538'),
      ]);
      expect(odd).toMatchObject({
        status: 'rejected',
        reason: { message: 'squeue row of Slurm job 863313 unreadable' },
      });
      expect(held).toMatchObject({ status: 'fulfilled', value: { state: 'PENDING', reason: 'Priority' } });
      expect(running).toMatchObject({ status: 'fulfilled', value: { phase: 'running' } });
    } finally {
      poller.stop();
    }
  });
});
