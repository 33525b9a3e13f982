/**
 * One caller process for bench/limiter and the limiter tests: N concurrent callers hammer one
 * limiter implementation for a while, then print one JSON line
 * {grants, latenciesMs (sample), grantTimesMs (for implementations without an audit log)}.
 *   node dist/bench/limiter-caller.js --impl molq|bullmq|flexible --redis URL --prefix P
 *        --key K --limit N --window-ms W --callers C --seconds S
 */
import { parseArgs } from 'node:util';
import { Worker } from 'bullmq';
import Redis from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { SlidingWindowLimiter } from '../src/limiter/sliding-window-limiter';

const { values: a } = parseArgs({
  options: {
    impl: { type: 'string', default: 'molq' },
    redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
    prefix: { type: 'string', default: 'molq-bench' },
    key: { type: 'string', default: 'external' },
    limit: { type: 'string', default: '200' },
    'window-ms': { type: 'string', default: '1000' },
    callers: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
    'start-at': { type: 'string', default: '0' },
  },
});
const limit = Number(a.limit);
const windowMs = Number(a['window-ms']);
const callers = Number(a.callers);
const until = Math.max(Date.now(), Number(a['start-at'])) + Number(a.seconds) * 1_000;
const latencies: number[] = [];
const grantTimes: number[] = [];
let grants = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForStart(): Promise<void> {
  const start = Number(a['start-at']);
  if (start > Date.now()) await sleep(start - Date.now());
}

async function molq(): Promise<void> {
  const redis = new Redis(a.redis!);
  const limiter = new SlidingWindowLimiter(redis, a.prefix!, new Map([[a.key!, { limit, windowMs }]]), true);
  await waitForStart();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (Date.now() < until) {
        const t = performance.now();
        const r = await limiter.reserve(a.key!);
        latencies.push(performance.now() - t);
        await sleep(r.retryAfterMs); // until the reserved grant time (or, refused, until a slot frees)
        if (r.allowed) grants++;
      }
    }),
  );
  redis.disconnect();
}

async function flexible(): Promise<void> {
  const redis = new Redis(a.redis!);
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    points: limit,
    duration: windowMs / 1_000,
    keyPrefix: `${a.prefix}:rlflex`,
  });
  await waitForStart();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (Date.now() < until) {
        const t = performance.now();
        try {
          await limiter.consume(a.key!);
          latencies.push(performance.now() - t);
          grants++;
          grantTimes.push(Date.now());
        } catch (res) {
          latencies.push(performance.now() - t);
          await sleep(((res as { msBeforeNext?: number }).msBeforeNext ?? 10) + Math.random() * 2);
        }
      }
    }),
  );
  redis.disconnect();
}

async function bullmq(): Promise<void> {
  await waitForStart();
  const worker = new Worker(
    `${a.key}-bullmq`,
    async () => {
      grants++;
      grantTimes.push(Date.now());
    },
    {
      connection: { url: a.redis, maxRetriesPerRequest: null },
      prefix: a.prefix,
      concurrency: callers,
      limiter: { max: limit, duration: windowMs },
    },
  );
  await sleep(Math.max(0, until - Date.now()));
  await worker.close(true);
}

const run = a.impl === 'bullmq' ? bullmq : a.impl === 'flexible' ? flexible : molq;
run()
  .then(() => {
    const sample =
      latencies.length > 20_000
        ? latencies.filter((_, i) => i % Math.ceil(latencies.length / 20_000) === 0)
        : latencies;
    process.stdout.write(
      `${JSON.stringify({ grants, calls: latencies.length, latenciesMs: sample, grantTimesMs: grantTimes })}\n`,
    );
    process.exit(0);
  })
  .catch((err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
