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
  pipeline = new JobPipeline(ds, new JobTransitions(), producer);
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

  it('work done in the transaction rolls back with it, and nothing is enqueued', async () => {
    const job = await newJob(ds, ownerId, JobStatus.Uploading, 'qc');
    await expect(
      pipeline.transaction(async (tx) => {
        await tx.advance([job.id], JobStatus.Reporting, { from: JobStatus.Uploading, actor: 'test' });
        throw new Error('artifacts refused');
      }),
    ).rejects.toThrow('artifacts refused');
    expect({
      status: await status(job.id),
      entry: await producer.queue(QueueName.Reports).getJobState(job.id),
    }).toEqual({ status: JobStatus.Uploading, entry: 'unknown' });
  });

  it('a job no longer in `from` does not move and gets no entry; strict names its status (409 in the API)', async () => {
    const job = await newJob(ds, ownerId, JobStatus.Completed, 'qc');
    expect(await pipeline.advance(job.id, JobStatus.Reporting, { from: JobStatus.Uploading, actor: 'test' })).toEqual(
      [],
    );
    await expect(pipeline.advance(job.id, JobStatus.Cancelled, { actor: 'test', strict: true })).rejects.toThrow(
      /COMPLETED -> CANCELLED/,
    );
    expect(await producer.queue(QueueName.Reports).getJobState(job.id)).toBe('unknown');
  });

  it('Redis away: the move stays committed, the caller is not failed, and the entry is added once Redis is back (no reconciler here)', async () => {
    const job = await newJob(ds, ownerId, JobStatus.Running, 'md');
    await redis.stop();
    try {
      const moved = await pipeline.advance(job.id, JobStatus.Uploading, { actor: 'test' });
      expect(moved.map((j) => j.status)).toEqual([JobStatus.Uploading]);
      expect(await status(job.id)).toBe(JobStatus.Uploading);
    } finally {
      await redis.start();
    }
    await eventually(
      async () => (await producer.queue(QueueName.Upload).getJobState(job.id)) === 'waiting',
      20_000,
      200,
    );
  });

  it('enqueue() adds one entry per job that starts a stage, none for DISPATCHED/RUNNING', async () => {
    const pending = await newJob(ds, ownerId, JobStatus.Pending, 'qc');
    const running = await newJob(ds, ownerId, JobStatus.Running, 'qc');
    await pipeline.enqueue([pending, running]);
    expect(await producer.queue(QueueName.Ingestion).getJobState(pending.id)).not.toBe('unknown');
    expect(await producer.queue(QueueName.Qc).getJobState(running.id)).toBe('unknown');
  });
});
