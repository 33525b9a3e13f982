import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { SlidingWindowLimiter } from '../../src/limiter/sliding-window-limiter';
import { maxInAnyWindow } from '../../bench/support/windows';
import { passLimiter } from '../../workers/pass-limiter';
import { eventually } from '../support/eventually';
import { spawnBuilt } from '../support/processes';
import { TEST_REDIS_URL, newWorld, tearDownWorld } from '../support/test-config';

const world = newWorld();
const prefix = world.env.REDIS_PREFIX;
let redis: Redis;

beforeAll(() => {
  redis = new Redis(TEST_REDIS_URL);
});

afterAll(async () => {
  redis.disconnect();
  await tearDownWorld(world);
});

const limiter = (key: string, limit: number, windowMs: number, audit = true) =>
  new SlidingWindowLimiter(redis, prefix, new Map([[key, { limit, windowMs }]]), audit);
const grantTimesUs = async (l: SlidingWindowLimiter, key: string) =>
  (await redis.lrange(l.auditKey(key), 0, -1)).map(Number);

describe('sliding-window limiter against real Redis', () => {
  it('never grants more than the cap in any window, with callers in 4 processes', async () => {
    const key = 'multi';
    const startAt = Date.now() + 1_500; // all processes start together
    const callers = [0, 1, 2, 3].map(() =>
      spawnBuilt(
        'bench/limiter-caller.js',
        [
          '--redis',
          TEST_REDIS_URL,
          '--prefix',
          prefix,
          '--key',
          key,
          '--limit',
          '50',
          '--window-ms',
          '1000',
          '--callers',
          '25',
          '--seconds',
          '3',
          '--start-at',
          String(startAt),
        ],
        {},
      ),
    );
    const results = await Promise.all(callers.map(async (c) => ({ ...(await c.exited), out: c.output() })));
    for (const r of results) expect(r.code).toBe(0);
    const grants = results.reduce((sum, r) => sum + JSON.parse(r.out).grants, 0);

    const times = await grantTimesUs(limiter(key, 50, 1000), key);
    expect(times).toHaveLength(grants);
    expect(maxInAnyWindow(times, 1_000_000)).toBeLessThanOrEqual(50);
    expect(grants).toBeGreaterThanOrEqual(140); // 3 s at 50/s, a window's worth of slack for start/stop
  });

  it('tells a refused caller a retry-after that is right to within 10 ms', async () => {
    const l = limiter('retry', 5, 500);
    for (let i = 0; i < 5; i++) expect((await l.acquire('retry')).allowed).toBe(true);
    const refused = await l.acquire('retry');
    expect(refused.allowed).toBe(false);
    const [oldest] = await grantTimesUs(l, 'retry');
    const exactMs = (oldest + 500_000 - refused.atUs) / 1_000;
    expect(Math.abs(refused.retryAfterMs - exactMs)).toBeLessThanOrEqual(1);

    // and it is honest in practice: refused shortly before, granted within 10 ms after
    const deadline = Date.now() + refused.retryAfterMs;
    await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now() - 40)));
    expect((await l.acquire('retry')).allowed).toBe(false);
    await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now() + 10)));
    expect((await l.acquire('retry')).allowed).toBe(true);
  });

  it('takes several grants at once (cost > 1) and refuses a cost above the limit', async () => {
    const l = limiter('cost', 10, 1_000);
    expect(await l.acquire('cost', 4)).toMatchObject({ allowed: true, used: 4 });
    expect(await l.acquire('cost', 4)).toMatchObject({ allowed: true, used: 8 });
    expect(await l.acquire('cost', 3)).toMatchObject({ allowed: false, used: 8 });
    expect(await l.acquire('cost', 2)).toMatchObject({ allowed: true, used: 10 });
    expect((await grantTimesUs(l, 'cost')).length).toBe(10);
    await expect(l.acquire('cost', 11)).rejects.toThrow('cost 11 exceeds the limit of 10');
    await expect(l.acquire('nope')).rejects.toThrow('no limit configured for "nope"');
  });

  it('reservations queue callers first come, first served, one call each, never over the cap', async () => {
    const l = limiter('reserve', 4, 200);
    const results = await Promise.all(Array.from({ length: 12 }, () => l.reserve('reserve')));
    expect(results.every((r) => r.allowed)).toBe(true);
    const waits = results.map((r) => r.retryAfterMs).sort((x, y) => x - y);
    expect(waits.slice(0, 4).every((w) => w === 0)).toBe(true);
    expect(waits[11]).toBeGreaterThanOrEqual(395); // the 3rd group of 4 waits two windows
    expect(maxInAnyWindow(await grantTimesUs(l, 'reserve'), 200_000)).toBeLessThanOrEqual(4);
    expect((await l.stats()).reserve).toEqual({ granted: 12, refused: 0 });
    // a reservation further out than the caller accepts is refused and records nothing
    expect(await l.reserve('reserve', 1, 100)).toMatchObject({ allowed: false });
  });

  it('take() waits for its turn instead of failing', async () => {
    const l = limiter('take', 3, 300);
    const started = Date.now();
    for (let i = 0; i < 7; i++) await l.take('take');
    // 7 grants at 3 per 300 ms need at least two full windows
    expect(Date.now() - started).toBeGreaterThanOrEqual(590);
    expect(maxInAnyWindow(await grantTimesUs(l, 'take'), 300_000)).toBeLessThanOrEqual(3);
  });

  it('reports window use and granted/refused counts', async () => {
    const l = limiter('stats', 2, 1_000);
    await l.acquire('stats');
    await l.acquire('stats');
    await l.acquire('stats');
    expect(await l.windowUse('stats')).toEqual({ key: 'stats', used: 2, limit: 2, windowMs: 1_000 });
    expect((await l.stats()).stats).toEqual({ granted: 2, refused: 1 });
  });

  it('a job refused inside a processor is given back and retried later without spending an attempt', async () => {
    const l = limiter('jobs', 2, 1_000);
    const name = `limited-${world.id}`;
    const queue = new Queue(name, { connection: { url: TEST_REDIS_URL }, prefix });
    const runs: string[] = [];
    const worker = new Worker(
      name,
      async (job) => {
        await passLimiter(l, { worker }, 'jobs');
        runs.push(job.id!);
      },
      { connection: { url: TEST_REDIS_URL, maxRetriesPerRequest: null }, prefix, concurrency: 5 },
    );
    await queue.addBulk([1, 2, 3, 4, 5].map((i) => ({ name: 'x', data: {}, opts: { jobId: `j${i}`, attempts: 1 } })));
    await eventually(async () => (await queue.getJobCounts('completed')).completed === 5, 15_000);
    const jobs = await Promise.all([1, 2, 3, 4, 5].map((i) => queue.getJob(`j${i}`)));
    expect(jobs.map((j) => j!.attemptsMade)).toEqual([1, 1, 1, 1, 1]); // attempts: 1, yet all done
    expect((await queue.getJobCounts('failed')).failed).toBe(0);
    expect((await l.stats()).jobs.refused).toBeGreaterThan(0);
    expect(maxInAnyWindow(await grantTimesUs(l, 'jobs'), 1_000_000)).toBeLessThanOrEqual(2);
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  });
});
