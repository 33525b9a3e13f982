import { UnrecoverableError, Worker } from 'bullmq';
import type { DataSource } from 'typeorm';
import { QueueName } from '../../queues';
import { BatchStore } from '../../src/batches/batch-store';
import { JobStatus } from '../../src/jobs/job-status';
import { JobStore } from '../../src/jobs/job-store';
import { QueueProducer } from '../../src/queueing/queue-producer';
import { Reconciler } from '../../src/reconciler/reconciler.service';
import { BatchReportService } from '../../src/results/batch-report.service';
import { LocalStorage } from '../../src/storage/local-storage';
import { redisOptions } from '../../src/redis/redis-options';
import { openDataSource } from '../support/data-source';
import { newJob, newUser } from '../support/job-factory';
import { newWorld, setUpWorld, tearDownWorld } from '../support/test-config';

const world = newWorld();
let ds: DataSource;
let producer: QueueProducer;
let reconciler: Reconciler;
let ownerId: string;

beforeAll(async () => {
  await setUpWorld(world);
  ds = await openDataSource(world);
  producer = new QueueProducer(world.master);
  reconciler = new Reconciler(
    new JobStore(ds),
    producer,
    new BatchReportService(new BatchStore(ds), producer, new LocalStorage(world.env.STORAGE_DIR)),
    world.master,
  );
  ownerId = (await newUser(ds)).id;
});

afterAll(async () => {
  await producer?.onModuleDestroy();
  await ds?.destroy();
  await tearDownWorld(world);
});

beforeEach(async () => {
  await ds.query('DELETE FROM jobs');
  for (const q of producer.all()) await q.obliterate({ force: true });
});

describe('enqueue is idempotent', () => {
  it('the same job enqueued twice exists once in BullMQ', async () => {
    const job = await newJob(ds, ownerId);
    await producer.enqueue(QueueName.Ingestion, { jobId: job.id });
    await producer.enqueue(QueueName.Ingestion, { jobId: job.id });
    await Promise.all([1, 2, 3].map(() => producer.enqueue(QueueName.Ingestion, { jobId: job.id })));
    const queue = producer.queue(QueueName.Ingestion);
    expect(await queue.getJobCountByTypes('waiting', 'prioritized', 'active', 'delayed')).toBe(1);
    expect((await queue.getJob(job.id))?.data).toEqual({ jobId: job.id });
  });

  it('keeps the priority it was given', async () => {
    const job = await newJob(ds, ownerId, JobStatus.Queued, 'md');
    await producer.enqueue(QueueName.Md, { jobId: job.id }, { priority: 5 });
    expect((await producer.queue(QueueName.Md).getJob(job.id))?.opts.priority).toBe(5);
  });
});

describe('Reconciler', () => {
  it('re-enqueues a PENDING job whose BullMQ entry was deleted', async () => {
    const job = await newJob(ds, ownerId, JobStatus.Pending);
    const queue = producer.queue(QueueName.Ingestion);
    await producer.enqueue(QueueName.Ingestion, { jobId: job.id });
    await queue.remove(job.id);
    expect(await queue.getJobState(job.id)).toBe('unknown');

    expect(await reconciler.reconcile()).toEqual({ checked: 1, enqueued: 1 });
    expect(await queue.getJobState(job.id)).toBe('waiting');
  });

  it('puts a QUEUED job back on the queue of its type, with its priority', async () => {
    const md = await newJob(ds, ownerId, JobStatus.Queued, 'md');
    const qc = await newJob(ds, ownerId, JobStatus.Queued, 'qc');
    await ds.query('UPDATE jobs SET priority = 3 WHERE id = $1', [md.id]);
    await reconciler.reconcile();
    expect(await producer.queue(QueueName.Md).getJobState(md.id)).toBe('prioritized');
    expect((await producer.queue(QueueName.Md).getJob(md.id))?.opts.priority).toBe(3);
    expect(await producer.queue(QueueName.Qc).getJobState(qc.id)).toBe('waiting');
  });

  it('leaves live entries and final jobs alone', async () => {
    const waiting = await newJob(ds, ownerId, JobStatus.Pending);
    await producer.enqueue(QueueName.Ingestion, { jobId: waiting.id });
    for (const s of [JobStatus.Completed, JobStatus.Failed, JobStatus.Cancelled]) await newJob(ds, ownerId, s);
    expect(await reconciler.reconcile()).toEqual({ checked: 1, enqueued: 0 });
    for (const q of [QueueName.Md, QueueName.Qc, QueueName.Upload, QueueName.Reports])
      expect(await producer.queue(q).count()).toBe(0);
  });

  it('repairs every status that is not final: each job whose entry is gone gets one in the queue its status names', async () => {
    const expected: [JobStatus, QueueName][] = [
      [JobStatus.Pending, QueueName.Ingestion],
      [JobStatus.Queued, QueueName.Qc],
      [JobStatus.Dispatched, QueueName.Qc], // a run or a bridge lease that vanished: it runs again
      [JobStatus.Running, QueueName.Qc],
      [JobStatus.Uploading, QueueName.Upload], // committed, then the enqueue was lost (Redis away or restarted empty)
      [JobStatus.Reporting, QueueName.Reports],
    ];
    const jobs: { id: string }[] = [];
    for (const [status] of expected) jobs.push(await newJob(ds, ownerId, status, 'qc'));
    expect(await reconciler.reconcile()).toEqual({ checked: 6, enqueued: 6 });
    const states = await Promise.all(expected.map(([, queue], i) => producer.queue(queue).getJobState(jobs[i].id)));
    expect(states.map((s) => ['waiting', 'prioritized'].includes(s))).toEqual(expected.map(() => true));
    expect(await reconciler.reconcile()).toEqual({ checked: 6, enqueued: 0 }); // idempotent
  });

  it('replaces a finished BullMQ entry of a job whose row still says it waits', async () => {
    const job = await newJob(ds, ownerId, JobStatus.Pending);
    const queue = producer.queue(QueueName.Ingestion);
    await producer.enqueue(QueueName.Ingestion, { jobId: job.id });
    const worker = new Worker(QueueName.Ingestion, null, {
      connection: redisOptions(world.worker),
      prefix: world.env.REDIS_PREFIX,
    });
    const taken = await worker.getNextJob('test-token');
    await taken!.moveToFailed(new UnrecoverableError('lost'), 'test-token', false);
    await worker.close();
    expect(await queue.getJobState(job.id)).toBe('failed');
    await reconciler.reconcile();
    expect(await queue.getJobState(job.id)).toBe('waiting');
  });

  it('recovers every job after a Redis flush of its keys, across pages', async () => {
    const jobs = [];
    for (let i = 0; i < 510; i++)
      jobs.push(await newJob(ds, ownerId, i % 2 ? JobStatus.Pending : JobStatus.Queued, i % 3 ? 'qc' : 'md'));
    const report = await reconciler.reconcile();
    expect(report).toEqual({ checked: 510, enqueued: 510 });
    expect(await reconciler.reconcile()).toEqual({ checked: 510, enqueued: 0 });
    const total = await Promise.all(
      [QueueName.Ingestion, QueueName.Md, QueueName.Qc].map((q) => producer.queue(q).count()),
    );
    expect(total.reduce((a, b) => a + b, 0)).toBe(510);
  });
});
