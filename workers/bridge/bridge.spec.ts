import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SlurmDriver, SlurmJobStatus } from '../../src/slurm/slurm-driver';
import { slurmPhase } from '../../src/slurm/slurm-states';
import { QueueName } from '../../queues/queue-name';
import { Bridge } from './bridge';
import type { ClaimedJob } from '../../src/pull/pull-contract';
import { MasterHttpError, type MasterClient } from './master-client';

/**
 * The bridge's reading of Slurm states, against stand-ins for the master and the cluster: a real
 * NODE_FAIL or PREEMPTED cannot be made on the shared single-node test cluster without taking its
 * only node down under the other test files (the end-to-end path is test/integration/bridge.spec.ts).
 */
describe('Bridge: what a Slurm state makes of a job', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'molq-bridge-unit-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function oneCycle(
    state: string,
    poll?: () => Promise<Map<string, SlurmJobStatus>>,
  ): Promise<{ path: string; body: Record<string, unknown> }[]> {
    const calls: { path: string; body: Record<string, unknown> }[] = [];
    const master = {
      call: async (_m: string, path: string, body: Record<string, unknown>) => (
        calls.push({ path, body }),
        { cancel: false, jobs: [] }
      ),
    } as unknown as MasterClient;
    const status: SlurmJobStatus = { schedulerId: '77', state, reason: 'None', phase: slurmPhase(state) };
    const slurm = {
      poll: poll ?? (async () => new Map([['77', status]])),
      failureMessage: async () => `Slurm job 77 ended ${state} (None)`,
      qualify: (id: string) => `slurm:test:${id}`,
      progress: async () => null,
    } as unknown as SlurmDriver;
    const stateFile = join(dir, 'state.json');
    writeFileSync(
      stateFile,
      JSON.stringify({
        active: [{ jobId: 'job-1', leaseToken: 'lease-1', schedulerId: '77', engine: 'lammps', totalSteps: 0 }],
        claimed: [],
      }),
    );
    const bridge = new Bridge(
      master,
      slurm,
      { queues: [QueueName.Md], maxJobs: 0, heartbeatMs: 60_000, claimWaitMs: 0, stateFile },
      () => undefined,
    );
    await (bridge as unknown as { state: { load(): Promise<void> } }).state.load();
    await bridge.cycle().catch((err: Error) => calls.push({ path: 'cycle threw', body: { message: err.message } }));
    return calls;
  }

  it.each(['NODE_FAIL', 'BOOT_FAIL', 'PREEMPTED', 'NF', 'PR'])(
    '%s: the cluster failed it, so the lease ends retryable (the master requeues it, bounded)',
    async (state) => {
      const calls = await oneCycle(state);
      expect(calls).toEqual([
        {
          path: '/api/v1/workers/jobs/job-1/fail',
          body: {
            leaseToken: 'lease-1',
            message: expect.stringMatching(/ended .*: the cluster failed it, not the job$/),
            retryable: true,
          },
        },
      ]);
    },
  );

  it.each(['FAILED', 'TIMEOUT', 'OUT_OF_MEMORY'])('%s: the job failed, for good', async (state) => {
    const calls = await oneCycle(state);
    expect(calls).toEqual([
      { path: '/api/v1/workers/jobs/job-1/fail', body: expect.objectContaining({ retryable: false }) },
    ]);
  });

  it.each(['REQUEUE_HOLD', 'RH', 'STOPPED', 'SPECIAL_EXIT', 'SIGNALING', 'STAGE_OUT'])(
    '%s: Slurm still holds it, so the lease is only renewed',
    async (state) => {
      const calls = await oneCycle(state);
      expect(calls.map((c) => c.path)).toEqual(['/api/v1/workers/jobs/job-1/heartbeat']);
    },
  );

  it('the cluster out of reach (squeue over SSH fails): the leases are still renewed, so no job runs twice elsewhere', async () => {
    const calls = await oneCycle('RUNNING', async () => Promise.reject(new Error('Not connected')));
    expect(calls).toEqual([
      { path: '/api/v1/workers/jobs/job-1/heartbeat', body: { leaseToken: 'lease-1', schedulerId: 'slurm:test:77' } },
      { path: 'cycle threw', body: { message: 'Not connected' } },
    ]);
  });
});

describe('Bridge: a job submitted to Slurm stays held', () => {
  it('when its first heartbeat is refused (the master away): no fail, kept in the state file, renewed by the next poll', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'molq-bridge-unit-'));
    try {
      const calls: string[] = [];
      const master = {
        call: async (_m: string, path: string) => {
          calls.push(path);
          throw new MasterHttpError(503, `${path}: 503 the database or the queue is unreachable`);
        },
      } as unknown as MasterClient;
      const slurm = {
        ownSlurmId: () => null,
        submit: async () => ({ schedulerId: '88', reattached: false }),
        qualify: (id: string) => `slurm:test:${id}`,
      } as unknown as SlurmDriver;
      const stateFile = join(dir, 'state.json');
      const bridge = new Bridge(
        master,
        slurm,
        { queues: [QueueName.Qc], maxJobs: 1, heartbeatMs: 60_000, claimWaitMs: 0, stateFile },
        () => undefined,
      );
      const job: ClaimedJob = {
        jobId: 'job-2',
        queue: QueueName.Qc,
        leaseToken: 'lease-2',
        leaseMs: 120_000,
        attempt: 1,
        schedulerId: null,
        engine: 'xtb',
        resources: { tasks: 1, memoryMb: 1024, walltimeMinutes: 10 },
        command: { program: 'xtb', args: ['input.xyz'] } as unknown as ClaimedJob['command'],
        userScript: false,
        inputs: [],
      };
      const inner = bridge as unknown as {
        launch(j: ClaimedJob): Promise<void>;
        failClaim(j: ClaimedJob, e: unknown): Promise<void>;
      };
      await inner.launch(job).catch((err) => inner.failClaim(job, err)); // as the claim loop does
      expect(calls).toEqual(['/api/v1/workers/jobs/job-2/heartbeat']);
      const saved = JSON.parse(readFileSync(stateFile, 'utf8'));
      expect(saved.active).toEqual([
        expect.objectContaining({ jobId: 'job-2', leaseToken: 'lease-2', schedulerId: '88' }),
      ]);
      expect(saved.claimed).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
