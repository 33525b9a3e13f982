import type { DataSource } from 'typeorm';
import { QueueName } from '../../queues';
import { JobPipeline } from '../../src/jobs/job-pipeline';
import { JobStatus } from '../../src/jobs/job-status';
import { JobTransitions } from '../../src/jobs/job-transitions';
import { Job } from '../../src/jobs/job.entity';
import { QueueProducer } from '../../src/queueing/queue-producer';
import { openDataSource } from '../support/data-source';
import { eventually } from '../support/eventually';
import { newJob, newUser } from '../support/job-factory';
import { OwnRedis, freePort } from '../support/own-redis';
import { newWorld, setUpWorld, tearDownWorld } from '../support/test-config';

// Redis is stopped here on purpose: a server of this file's own.
let redis: OwnRedis;
let world: ReturnType<typeof newWorld>;
let ds: DataSource;
let producer: QueueProducer;
let pipeline: JobPipeline;
let ownerId: string;

beforeAll(async () => {
  redis = new OwnRedis(await freePort());
  await redis.start();
  world = newWorld({ REDIS_URL: redis.url });
  await setUpWorld(world);
  ds = await openDataSource(world);
  producer = new QueueProducer(world.master);
  pipeline = new JobPipeline(ds, new JobTransitions(ds), producer);
  ownerId = (await newUser(ds)).id;
});

afterAll(async () => {
  await producer?.onModuleDestroy();
  await ds?.destroy();
  await redis?.stop();
  await tearDownWorld(world);
});

const status = async (id: string) => (await ds.getRepository(Job).findOneByOrFail({ id })).status;

describe('JobPipeline.advance: commit, then the entry the pipeline table names', () => {
  it.each([
    [JobStatus.Running, JobStatus.Uploading, QueueName.Upload],
    [JobStatus.Uploading, JobStatus.Reporting, QueueName.Reports],
  ])('%s → %s adds the job to %s under its own id', async (from, to, queue) => {
    const job = await newJob(ds, ownerId, from, 'qc');
    await pipeline.advance(job.id, to, { actor: 'test' });
    expect(await status(job.id)).toBe(to);
    expect(await producer.queue(queue).getJobState(job.id)).toBe('waiting');
  });

  it('work committed alongside rolls back with a refused transition, and nothing is enqueued', async () => {
    const job = await newJob(ds, ownerId, JobStatus.Completed, 'qc');
    let ran = false;
    await expect(
      pipeline.advance(job.id, JobStatus.Reporting, { actor: 'test' }, async () => void (ran = true)),
    ).rejects.toThrow(/COMPLETED/);
    expect({
      ran,
      status: await status(job.id),
      entry: await producer.queue(QueueName.Reports).getJobState(job.id),
    }).toEqual({ ran: true, status: JobStatus.Completed, entry: 'unknown' });
  });

  it('Redis away: the transition stays committed and the caller sees the failure (the reconciler adds the entry later)', async () => {
    const job = await newJob(ds, ownerId, JobStatus.Running, 'md');
    await redis.stop();
    try {
      await expect(pipeline.advance(job.id, JobStatus.Uploading, { actor: 'test' })).rejects.toThrow();
      expect(await status(job.id)).toBe(JobStatus.Uploading);
    } finally {
      await redis.start();
      // the producer's connections come back on their own
      for (const q of [QueueName.Ingestion, QueueName.Qc])
        await eventually(async () => (await producer.queue(q).getJobCounts(), true), 15_000, 100);
    }
  });

  it('enqueue() adds one entry per job that starts a stage, none for DISPATCHED/RUNNING', async () => {
    const pending = await newJob(ds, ownerId, JobStatus.Pending, 'qc');
    const running = await newJob(ds, ownerId, JobStatus.Running, 'qc');
    await pipeline.enqueue([pending, running]);
    expect(await producer.queue(QueueName.Ingestion).getJobState(pending.id)).not.toBe('unknown');
    expect(await producer.queue(QueueName.Qc).getJobState(running.id)).toBe('unknown');
  });
});
