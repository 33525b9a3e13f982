import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QueueName } from '../../queues/queue-name';
import { SlurmDriver } from '../../src/slurm/slurm-driver';
import type { SshConnection } from '../../src/slurm/ssh-connection';
import { Bridge } from './bridge';
import type { MasterClient } from './master-client';

/** The bridge's poll against squeue output with one unreadable row (test/fixtures/slurm/SOURCES.md), issue 29.6. */
describe('Bridge: one odd squeue row', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'molq-bridge-odd-row-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('neither fails nor loses the job whose row was skipped: its lease is renewed, the skip is logged, the others are read', async () => {
    const listing = readFileSync(
      join(__dirname, '..', '..', 'test', 'fixtures', 'slurm', 'squeue_molq_layout_odd_row.txt'),
      'utf8',
    );
    const ssh = {
      exec: async (command: string) =>
        command.startsWith('squeue') ? { code: 0, stdout: listing, stderr: '' } : { code: 1, stdout: '', stderr: '' },
      readTail: async () => Promise.reject(new Error('no log yet')),
    } as unknown as SshConnection;
    const calls: { path: string; body: Record<string, unknown> }[] = [];
    const master = {
      call: async (_m: string, path: string, body: Record<string, unknown>) => (
        calls.push({ path, body }),
        { cancel: false, jobs: [] }
      ),
    } as unknown as MasterClient;
    const stateFile = join(dir, 'state.json');
    const active = (jobId: string, schedulerId: string) => ({
      jobId,
      leaseToken: `lease-${jobId}`,
      schedulerId,
      engine: 'lammps',
      totalSteps: 0,
    });
    writeFileSync(
      stateFile,
      JSON.stringify({ active: [active('odd', '863313'), active('ok', '862538')], claimed: [] }),
    );
    const log: string[] = [];
    const slurm = new SlurmDriver(ssh, { workRoot: '/w', name: 'test', programs: {}, setup: {} } as never);
    const bridge = new Bridge(
      master,
      slurm,
      { queues: [QueueName.Md], maxJobs: 0, heartbeatMs: 60_000, claimWaitMs: 0, stateFile },
      (line) => log.push(line),
    );
    await (bridge as unknown as { state: { load(): Promise<void> } }).state.load();
    await bridge.cycle();
    expect(calls).toEqual([
      {
        path: '/api/v1/workers/jobs/odd/heartbeat',
        body: { leaseToken: 'lease-odd', schedulerId: 'slurm:test:863313' },
      },
      {
        path: '/api/v1/workers/jobs/ok/heartbeat',
        body: { leaseToken: 'lease-ok', schedulerId: 'slurm:test:862538', schedulerState: 'RUNNING' },
      },
    ]);
    expect(log).toContain(
      'bridge: squeue row skipped (Slurm job 863313): row 4 has 4 fields, the header 3: 863313|PENDING|JobHeldUser|nightly',
    );
  });
});
