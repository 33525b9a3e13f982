import Redis from 'ioredis';
import { UnrecoverableError, Worker } from 'bullmq';
import type { DataSource } from 'typeorm';
import { QueueName } from '../../queues';
import { BatchStore } from '../../src/batches/batch-store';
import { JobStatus, type JobType } from '../../src/jobs/job-status';
import { JobStore } from '../../src/jobs/job-store';
import { QueueProducer } from '../../src/queueing/queue-producer';
import { Reconciler } from '../../src/reconciler/reconciler.service';
import { redisOptions } from '../../src/redis/redis-options';
import { BatchReportService } from '../../src/results/batch-report.service';
import { LocalStorage } from '../../src/storage/local-storage';
import { openDataSource } from '../support/data-source';
import { newJob, newUser } from '../support/job-factory';
import { OwnRedis, freePort } from '../support/own-redis';
import { newWorld, setUpWorld, tearDownWorld, type TestWorld } from '../support/test-config';

// Issue 30.4: the reconciler checks a page of open jobs' entries in ONE round trip, not one getState
// script per job. A Redis of this file's own, so its command statistics count this pass alone.
let redis: OwnRedis;
let admin: Redis;
let world: TestWorld;
let ds: DataSource;
let producer: QueueProducer;
let reconciler: Reconciler;
let ownerId: string;

beforeAll(async () => {
  redis = new OwnRedis(await freePort());
  await redis.start();
  admin = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  world = newWorld({ REDIS_URL: redis.url });
  await setUpWorld(world);
  ds = await openDataSource(world);
  producer = new QueueProducer(world.master);
  const batchReports = new BatchReportService(new BatchStore(ds), producer, new LocalStorage(world.env.STORAGE_DIR));
  reconciler = new Reconciler(new JobStore(ds), producer, batchReports, world.master);
  ownerId = (await newUser(ds)).id;
});

afterAll(async () => {
  await producer?.onModuleDestroy();
  await ds?.destroy();
  admin?.disconnect();
  await tearDownWorld(world);
  await redis?.stop();
});

beforeEach(async () => {
  await ds.query('DELETE FROM jobs');
  await admin.flushall();
});

/** Commands Redis ran during `work`, by name (its own statistics, reset first; a script's own commands count too). */
async function commandsDuring(work: () => Promise<unknown>): Promise<Record<string, number>> {
  await admin.config('RESETSTAT');
  await work();
  const stats = await admin.info('commandstats');
  const calls: Record<string, number> = {};
  for (const [, name, n] of stats.matchAll(/^cmdstat_(\S+?):calls=(\d+)/gm)) calls[name] = Number(n);
  delete calls.info;
  delete calls.config;
  return calls;
}

const job = async (status: JobStatus, type: JobType = 'qc') => (await newJob(ds, ownerId, status, type)).id;

describe('Reconciler: one round trip per page (issue 30.4)', () => {
  it('a page holding entries in every state: the live are left, the missing and finished re-added; ONE script call per queue', async () => {
    const q = (name: QueueName) => producer.queue(name);
    const waiting = await job(JobStatus.Pending);
    await q(QueueName.Ingestion).add('ingestion', { jobId: waiting }, { jobId: waiting }); // the wait list
    const prioritized = await job(JobStatus.Queued);
    await producer.enqueue(QueueName.Qc, { jobId: prioritized }, { priority: 3 });
    const delayed = await job(JobStatus.Queued, 'md');
    await q(QueueName.Md).add('md', { jobId: delayed }, { jobId: delayed, delay: 60_000 });
    const active = await job(JobStatus.Dispatched);
    await q(QueueName.Qc).add('qc', { jobId: active }, { jobId: active });
    const completed = await job(JobStatus.Queued, 'md');
    await q(QueueName.Md).add('md', { jobId: completed }, { jobId: completed });
    const failed = await job(JobStatus.Uploading);
    await q(QueueName.Upload).add('upload', { jobId: failed }, { jobId: failed });
    for (const [name, id, end] of [
      [QueueName.Qc, active, null],
      [QueueName.Md, completed, 'complete'],
      [QueueName.Upload, failed, 'fail'],
    ] as const) {
      const worker = new Worker(name, null, { connection: redisOptions(world.worker), prefix: world.env.REDIS_PREFIX });
      const taken = (await worker.getNextJob(`token-${id}`))!;
      expect(taken.id).toBe(id);
      if (end === 'complete') await taken.moveToCompleted('done', `token-${id}`, false);
      if (end === 'fail') await taken.moveToFailed(new UnrecoverableError('lost'), `token-${id}`, false);
      await worker.close();
    }
    const missing = [await job(JobStatus.Pending), await job(JobStatus.Reporting)];
    const live = { waiting, prioritized, delayed, active };
    const before = await Promise.all(Object.values(live).map((id) => stateOf(id)));
    expect(before).toEqual(['waiting', 'prioritized', 'delayed', 'active']);

    const calls = await commandsDuring(async () =>
      expect(await reconciler.reconcile()).toEqual({ checked: 8, enqueued: 4 }),
    );
    expect(await Promise.all(Object.values(live).map((id) => stateOf(id)))).toEqual(before);
    for (const id of [completed, failed, ...missing]) expect(['waiting', 'prioritized']).toContain(await stateOf(id));
    // the states: one script per queue of the page (ingestion, md, qc, upload, reports), in one pipeline;
    // then BullMQ's own: two removals of finished entries, four adds — no getState per job (that was 8 more)
    expect((calls.eval ?? 0) + (calls.evalsha ?? 0)).toBe(5 + 2 + 4);
    expect(reconciler.lastPass).toMatchObject({ checked: 8, enqueued: 4, pages: 1, redisRoundTrips: 1 + 2 + 4 });
  });

  it('1,200 open jobs with live entries: 3 pages, one round trip each, nothing re-added, no script per job', async () => {
    await ds.query(
      `INSERT INTO jobs (id, owner_id, type, engine, status, spec)
       SELECT gen_random_uuid(), $1, CASE WHEN i % 2 = 0 THEN 'qc' ELSE 'md' END,
              CASE WHEN i % 2 = 0 THEN 'xtb' ELSE 'lammps' END, 'QUEUED', '{}'::jsonb
       FROM generate_series(1, 1200) i`,
      [ownerId],
    );
    const rows: { id: string; type: JobType }[] = await ds.query('SELECT id, type FROM jobs');
    for (const type of ['qc', 'md'] as const) {
      const name = type === 'qc' ? QueueName.Qc : QueueName.Md;
      const items = rows.filter((r) => r.type === type).map((r) => ({ payload: { jobId: r.id }, priority: 5 }));
      await producer.enqueueMany(name, items);
    }
    const calls = await commandsDuring(async () =>
      expect(await reconciler.reconcile()).toEqual({ checked: 1_200, enqueued: 0 }),
    );
    // 3 pages × (md, qc); the old pass ran 1,200 getState scripts (evalsha). Commands run inside a
    // script count too (ZSCORE, EXISTS): one or two per job, in those six calls
    expect((calls.eval ?? 0) + (calls.evalsha ?? 0)).toBe(6);
    expect(reconciler.lastPass).toMatchObject({ checked: 1_200, pages: 3, redisRoundTrips: 3 });
  });
});

async function stateOf(id: string): Promise<string> {
  for (const name of [QueueName.Ingestion, QueueName.Md, QueueName.Qc, QueueName.Upload, QueueName.Reports]) {
    const state = await producer.queue(name).getJobState(id);
    if (state !== 'unknown') return state;
  }
  return 'unknown';
}
