import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { QUEUE_NAMES, QueueName } from '../../queues';
import { QueueProducer } from '../../src/queueing/queue-producer';
import { eventually } from '../support/eventually';
import { OwnRedis, freePort } from '../support/own-redis';
import { meltJob, xtbJob } from '../support/specs';
import { newWorld, setUpWorld, tearDownWorld } from '../support/test-config';
import { TestPlatform } from '../support/test-master';

// FLUSHALL and a stopped server must not touch the Redis other test files share: this file has its own.
let redis: OwnRedis;
let world: ReturnType<typeof newWorld>;
let platform: TestPlatform;
let user: Awaited<ReturnType<TestPlatform['newUser']>>;

beforeAll(async () => {
  redis = new OwnRedis(await freePort());
  await redis.start();
  world = newWorld({ REDIS_URL: redis.url, RECONCILE_INTERVAL_MS: '1000' });
  await setUpWorld(world);
  platform = await new TestPlatform(world).start();
  user = await platform.newUser();
});

afterAll(async () => {
  await platform?.stop();
  await redis?.stop();
  await tearDownWorld(world);
});

const ds = () => platform.app.get(DataSource);

/** Per job: its status, how many times it became QUEUED, and how many run-queue entries it has. */
async function audit(ids: string[]) {
  const rows: { id: string; status: string; type: string; queued: number }[] = await ds().query(
    `SELECT j.id, j.status, j.type, (SELECT count(*)::int FROM job_events e WHERE e.job_id = j.id AND e.to_status = 'QUEUED') AS queued
       FROM jobs j WHERE j.id = ANY($1)`,
    [ids],
  );
  const producer = platform.app.get(QueueProducer);
  const states = await Promise.all(
    rows.map((r) => producer.queue(r.type === 'md' ? QueueName.Md : QueueName.Qc).getJobState(r.id)),
  );
  return rows.map((r, i) => ({ ...r, runQueueState: states[i] }));
}

describe('nothing submitted is ever lost', () => {
  it('a Redis FLUSHALL in the middle of 200 submissions: all 200 still reach QUEUED, once each', async () => {
    const ids: string[] = [];
    const submit = (i: number) =>
      platform
        .http()
        .post('/api/v1/jobs')
        .set('Authorization', user.auth)
        .send(i % 4 ? xtbJob({ name: `m${i}` }) : meltJob())
        .expect(202);
    for (let i = 0; i < 100; i += 10)
      ids.push(...(await Promise.all([...Array(10).keys()].map((k) => submit(i + k)))).map((r) => r.body.id));

    const admin = new Redis(redis.port, '127.0.0.1');
    await admin.flushall();
    admin.disconnect();

    for (let i = 100; i < 200; i += 10)
      ids.push(...(await Promise.all([...Array(10).keys()].map((k) => submit(i + k)))).map((r) => r.body.id));

    await eventually(
      async () => (await audit(ids)).every((j) => j.status === 'QUEUED' && j.runQueueState !== 'unknown'),
      30_000,
      250,
    );
    const final = await audit(ids);
    expect(final).toHaveLength(200);
    expect(final.filter((j) => j.queued !== 1)).toEqual([]);
    expect(final.filter((j) => !['waiting', 'prioritized'].includes(j.runQueueState))).toEqual([]);
    const producer = platform.app.get(QueueProducer);
    const inRunQueues = (await producer.queue(QueueName.Md).count()) + (await producer.queue(QueueName.Qc).count());
    expect(inRunQueues).toBe(200);

    // out of the next test's way: its pool would otherwise run these 200 first
    await ds().query(`UPDATE jobs SET status = 'CANCELLED' WHERE id = ANY($1)`, [ids]);
    for (const q of [QueueName.Md, QueueName.Qc]) await producer.queue(q).obliterate({ force: true });
  });

  it('Redis restarted empty while 40 jobs move through every stage: all end COMPLETED (none stuck UPLOADING), none run more than twice', async () => {
    await platform.stopPool();
    await platform.startPool([...QUEUE_NAMES]);
    try {
      const { body } = await platform
        .http()
        .post('/api/v1/jobs/bulk')
        .set('Authorization', user.auth)
        .send({ jobs: Array.from({ length: 40 }, (_, i) => xtbJob({ name: `restart ${i}` })) })
        .expect(202);
      const ids: string[] = body.jobIds;
      const statuses = async (): Promise<string[]> =>
        (await ds().query('SELECT status FROM jobs WHERE id = ANY($1)', [ids])).map(
          (r: { status: string }) => r.status,
        );
      // restart once jobs are spread over the stages
      await eventually(
        async () => (await statuses()).filter((s) => ['UPLOADING', 'REPORTING', 'COMPLETED'].includes(s)).length >= 5,
        60_000,
        50,
      );
      const spread = new Set(await statuses());
      await redis.stop();
      await redis.start(); // empty: --save "" and no AOF
      await eventually(
        async () => (await statuses()).every((s) => ['COMPLETED', 'FAILED', 'CANCELLED'].includes(s)),
        120_000,
        500,
      ).catch(async (e) => {
        const counts = (await statuses()).reduce<Record<string, number>>(
          (c, s) => ({ ...c, [s]: (c[s] ?? 0) + 1 }),
          {},
        );
        throw new Error(`${e.message}: ${JSON.stringify(counts)}`);
      });
      const final = await statuses();
      expect({ spread: spread.size > 1, completed: final.filter((s) => s === 'COMPLETED').length }).toEqual({
        spread: true,
        completed: 40,
      });
      const runs: { n: number }[] = await ds().query(
        `SELECT count(*)::int AS n FROM job_events WHERE job_id = ANY($1) AND to_status = 'RUNNING' GROUP BY job_id`,
        [ids],
      );
      expect(Math.max(...runs.map((r) => r.n))).toBeLessThanOrEqual(2);
    } finally {
      await platform.stopPool();
      await platform.startPool([QueueName.Ingestion]);
    }
  }, 200_000);

  it('with Redis down the API still answers 202; the job stays PENDING and is queued once Redis is back', async () => {
    await redis.stop();
    const res = await platform.http().post('/api/v1/jobs').set('Authorization', user.auth).send(xtbJob()).expect(202);
    const [row] = await ds().query('SELECT status FROM jobs WHERE id = $1', [res.body.id]);
    expect(row.status).toBe('PENDING');

    await redis.start();
    await eventually(async () => (await audit([res.body.id]))[0].status === 'QUEUED', 30_000, 250);
    expect((await audit([res.body.id]))[0]).toMatchObject({ queued: 1, runQueueState: 'prioritized' });
  });
});
