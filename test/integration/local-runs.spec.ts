import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { QueueName } from '../../queues';
import { JobStatus } from '../../src/jobs/job-status';
import { QueueProducer } from '../../src/queueing/queue-producer';
import { RunService } from '../../src/running/run.service';
import { eventually } from '../support/eventually';
import { newJob } from '../support/job-factory';
import { ETHANOL, meltJob } from '../support/specs';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

const world = newWorld();
const ctx = usePlatform(world, [QueueName.Ingestion, QueueName.Md, QueueName.Qc]); // no upload pool: jobs stop at UPLOADING
const platform = ctx.platform;

const http = () => platform.http();
const getJob = (id: string) => platform.job(id, ctx.user.auth);

async function staged(jobId: string): Promise<{ files: { name: string; size: number; sha256: string }[] }> {
  return JSON.parse(await readFile(join(world.env.STORAGE_DIR, 'jobs', jobId, 'staging-manifest.json'), 'utf8'));
}

/** A melt long enough to be cancelled by hand, once it is RUNNING. */
async function runningMelt(): Promise<{ body: { id: string }; schedulerId: string }> {
  const { body } = await http()
    .post('/api/v1/jobs')
    .set('Authorization', ctx.user.auth)
    .send(meltJob({ md: { template: 'lj-melt', params: { atomsPerSide: 6, steps: 10_000_000 } } }))
    .expect(202);
  await eventually(async () => (await getJob(body.id)).status === 'RUNNING', 30_000, 100);
  return { body, schedulerId: (await getJob(body.id)).schedulerId };
}

describe('jobs run on a local md/qc pool with the real engines', () => {
  it('an LJ melt goes from submission to UPLOADING, progress rising during the run, outputs staged', async () => {
    const { body } = await http()
      .post('/api/v1/jobs')
      .set('Authorization', ctx.user.auth)
      .send(meltJob({ md: { template: 'lj-melt', params: { atomsPerSide: 6, steps: 6000, thermoEvery: 100 } } }))
      .expect(202);
    const seen: number[] = [];
    await eventually(
      async () => {
        const job = await getJob(body.id);
        if (job.status === 'RUNNING') seen.push(job.progress);
        return job.status === 'UPLOADING';
      },
      60_000,
      200,
    );
    expect(new Set(seen.filter((p) => p > 0 && p < 1)).size).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    const job = await getJob(body.id);
    expect(job.progress).toBe(1);
    expect(job.events.map((e: { to: string }) => e.to)).toEqual([
      'PENDING',
      'QUEUED',
      'DISPATCHED',
      'RUNNING',
      'UPLOADING',
    ]);
    const manifest = await staged(body.id);
    expect(manifest.files.map((f) => f.name)).toEqual(
      expect.arrayContaining(['log.lammps', 'final.dump', 'stdout.log']),
    );
    const log = await readFile(join(world.env.STORAGE_DIR, 'jobs', body.id, 'staging', 'log.lammps'), 'utf8');
    expect(log).toContain('Loop time of');
    expect(await platform.app.get(QueueProducer).queue(QueueName.Upload).getJobState(body.id)).toBe('waiting');
  });

  it('an xtb optimisation of ethanol goes to UPLOADING with xtbout.json staged', async () => {
    const { body } = await http()
      .post('/api/v1/jobs')
      .set('Authorization', ctx.user.auth)
      .send({ type: 'qc', engine: 'xtb', qc: { xyz: ETHANOL, task: 'opt', gfn: 2 } })
      .expect(202);
    await eventually(async () => ['UPLOADING', 'FAILED'].includes((await getJob(body.id)).status), 30_000, 200);
    const done = await getJob(body.id);
    expect({ status: done.status, error: done.error }).toEqual({ status: 'UPLOADING', error: null });
    const manifest = await staged(body.id);
    const json = manifest.files.find((f) => f.name === 'xtbout.json');
    expect(json?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.files.some((f) => f.name.startsWith('.'))).toBe(false);
    expect(done.events.filter((e: { to: string }) => e.to === 'RUNNING')).toHaveLength(1);
    const energy = JSON.parse(
      await readFile(join(world.env.STORAGE_DIR, 'jobs', body.id, 'staging', 'xtbout.json'), 'utf8'),
    )['total energy'];
    expect(energy).toBeCloseTo(-11.3886, 3);
  });

  it("a user's cancel of a running job kills the engine within 2 s and the job ends CANCELLED", async () => {
    const { body, schedulerId } = await runningMelt();
    expect(schedulerId).toMatch(new RegExp(`^local:${hostname().replace(/\./g, '\\.')}:\\d+$`)); // executor and host named
    const pid = Number(schedulerId.split(':').pop());
    expect(() => process.kill(-pid, 0)).not.toThrow();
    const t = Date.now();
    await http().post(`/api/v1/jobs/${body.id}/cancel`).set('Authorization', ctx.user.auth).expect(200);
    await eventually(
      () => {
        try {
          process.kill(-pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      5_000,
      50,
    );
    expect(Date.now() - t).toBeLessThan(2_000);
    expect((await getJob(body.id)).status).toBe('CANCELLED');
    // nothing failed: the md entry completes, saying so (Bull Board's COMPLETED tab)
    const md = platform.app.get(QueueProducer).queue(QueueName.Md);
    await eventually(async () => (await md.getJobState(body.id)) === 'completed', 5_000, 50);
    expect((await md.getJob(body.id))!.returnvalue).toBe('cancelled');
  });

  it('its queue entry lost and re-added while the engine runs (Redis restarted empty): the run goes on, not started a second time', async () => {
    const { body, schedulerId } = await runningMelt();
    const pid = Number(schedulerId.split(':').pop());
    // Redis restarted empty: the reconciler re-adds the job's entry, and a pool slot takes it while the
    // first run goes on (here the pool's one md slot is that run, so the new entry's processing is called directly)
    const runs = platform.poolService(RunService);
    expect(
      await runs.run(body.id, { signal: new AbortController().signal, actor: 'worker:md', attemptsLeft: true }),
    ).toBe('skipped');
    const job = await getJob(body.id);
    expect({ status: job.status, schedulerId: job.schedulerId }).toEqual({ status: 'RUNNING', schedulerId });
    expect(job.events.map((e: { to: string }) => e.to)).toEqual(['PENDING', 'QUEUED', 'DISPATCHED', 'RUNNING']); // no "previous run lost; running again"
    expect(() => process.kill(-pid, 0)).not.toThrow(); // the first engine still runs, its work dir untouched
    await http().post(`/api/v1/jobs/${body.id}/cancel`).set('Authorization', ctx.user.auth).expect(200);
    await eventually(async () => (await getJob(body.id)).status === 'CANCELLED', 10_000, 100);
  });

  it('a job past its walltime ends FAILED with a message saying so', async () => {
    // a 1.2 s walltime is below the API's 1-minute floor: the row is written directly, the rest is the real path
    const job = await newJob(platform.app.get(DataSource), ctx.user.id, JobStatus.Pending, 'md', {
      resources: { tasks: 1, walltimeMinutes: 0.02, memoryMb: 500 },
      md: {
        template: 'lj-melt',
        params: { atomsPerSide: 6, temperature: 3, steps: 10_000_000, thermoEvery: 1000, seed: 1 },
      },
    });
    await platform.app.get(QueueProducer).enqueue(QueueName.Ingestion, { jobId: job.id });
    await eventually(async () => (await getJob(job.id)).status === 'FAILED', 30_000, 100);
    const failed = await getJob(job.id);
    expect(failed.error).toBe('walltime of 0.02 min exceeded: the engine was stopped');
    const entry = (await platform.app.get(QueueProducer).queue(QueueName.Md).getJob(job.id))!;
    expect({ state: await entry.getState(), reason: entry.failedReason, tries: entry.attemptsMade }).toEqual({
      state: 'failed',
      reason: failed.error,
      tries: 1,
    });
    expect(failed.events.map((e: { to: string }) => e.to)).toEqual([
      'PENDING',
      'QUEUED',
      'DISPATCHED',
      'RUNNING',
      'FAILED',
    ]);
  });
});
