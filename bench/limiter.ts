/**
 * bench/limiter: 8 caller processes × 50 concurrent callers for 20 s against the real Redis,
 * for molq's sliding window, BullMQ's queue limiter and rate-limiter-flexible, in one run.
 *   npm run build && node dist/bench/limiter.js [--processes 8 --callers 50 --seconds 20 --limit 200]
 * Prints grants/s, the largest number of grants in any sliding 1,000 ms window, acquire
 * latency p50/p99 (molq, flexible), and Redis commands per grant.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { percentile, runBench } from './support/bench-world';
import { maxInAnyWindow } from './support/windows';

const { values } = parseArgs({
  options: {
    processes: { type: 'string', default: '8' },
    callers: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
    limit: { type: 'string', default: '200' },
    redis: { type: 'string', default: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379' },
    only: { type: 'string' },
  },
});
const PROCESSES = Number(values.processes);
const SECONDS = Number(values.seconds);
const LIMIT = Number(values.limit);
const prefix = `molq-bench-${randomBytes(4).toString('hex')}`;
const redis = new Redis(values.redis!);

interface CallerResult {
  grants: number;
  calls: number;
  latenciesMs: number[];
  grantTimesMs: number[];
}

async function commandsProcessed(): Promise<number> {
  const info = await redis.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)![1]);
}

function runCallers(impl: string, startAt: number): Promise<CallerResult[]> {
  return Promise.all(
    Array.from({ length: PROCESSES }, () => {
      const args = [
        '--impl',
        impl,
        '--redis',
        values.redis!,
        '--prefix',
        prefix,
        '--key',
        'external',
        '--limit',
        String(LIMIT),
        '--window-ms',
        '1000',
        '--callers',
        values.callers!,
        '--seconds',
        String(SECONDS),
        '--start-at',
        String(startAt),
      ];
      const child = spawn(process.execPath, [join(__dirname, 'limiter-caller.js'), ...args], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      return new Promise<CallerResult>((resolve, reject) =>
        child.on('exit', (code) =>
          code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${impl} caller exited ${code}`)),
        ),
      );
    }),
  );
}

interface Row {
  impl: string;
  grantsPerSecond: number;
  maxWindow: number;
  p50: number;
  p99: number;
  commandsPerGrant: number;
  callsPerGrant: number;
}

async function measure(impl: string): Promise<Row> {
  if (impl === 'bullmq') {
    const queue = new Queue('external-bullmq', { connection: { url: values.redis }, prefix });
    const jobs = Math.ceil(LIMIT * SECONDS * 3);
    for (let i = 0; i < jobs; i += 1000)
      await queue.addBulk(
        Array.from({ length: Math.min(1000, jobs - i) }, () => ({
          name: 'x',
          data: {},
          opts: { removeOnComplete: true },
        })),
      );
    await queue.close();
  }
  const startAt = Date.now() + 2_000;
  const before = await commandsProcessed();
  const results = await runCallers(impl, startAt);
  const commands = (await commandsProcessed()) - before;
  const grants = results.reduce((s, r) => s + r.grants, 0);
  const calls = results.reduce((s, r) => s + r.calls, 0);
  // Grant times in ms on this machine's clock (Redis TIME for molq: the script's own record).
  const times =
    impl === 'molq'
      ? (await redis.lrange(`${prefix}:limiter-audit:external`, 0, -1)).map((us) => Number(us) / 1_000)
      : results.flatMap((r) => r.grantTimesMs);
  const inRun = times.filter((t) => t >= startAt && t < startAt + SECONDS * 1_000).length;
  const latencies = results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  return {
    impl,
    grantsPerSecond: inRun / SECONDS,
    maxWindow: maxInAnyWindow(times, 1_000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    commandsPerGrant: commands / grants,
    callsPerGrant: impl === 'bullmq' ? NaN : calls / grants,
  };
}

async function main(): Promise<void> {
  const impls = values.only ? values.only.split(',') : ['molq', 'bullmq', 'flexible'];
  const rows: Row[] = [];
  try {
    for (const impl of impls) rows.push(await measure(impl));
  } finally {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
  }
  const names: Record<string, string> = {
    molq: 'molq sliding window (Lua, Redis TIME)',
    bullmq: `BullMQ queue limiter {max: ${LIMIT}, duration: 1000}`,
    flexible: `rate-limiter-flexible RateLimiterRedis (${LIMIT} / 1 s)`,
  };
  console.log(`\nbench/limiter  ${PROCESSES} processes × ${values.callers} callers × ${SECONDS} s, cap ${LIMIT}/s`);
  console.log(
    '| limiter | grants/s | % of cap | max grants in any 1,000 ms | overshoot | acquire p50 | acquire p99 | calls/grant | Redis cmds/grant |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const lat = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} ms` : 'n/a');
    console.log(
      `| ${names[r.impl]} | ${r.grantsPerSecond.toFixed(1)} | ${((100 * r.grantsPerSecond) / LIMIT).toFixed(1)} % | ${r.maxWindow} | ${Math.max(0, r.maxWindow - LIMIT)} | ${lat(r.p50)} | ${lat(r.p99)} | ${Number.isFinite(r.callsPerGrant) ? r.callsPerGrant.toFixed(2) : 'n/a'} | ${r.commandsPerGrant.toFixed(2)} |`,
    );
  }
  console.log(
    'Redis cmds/grant counts every command, including those a Lua script runs (molq: ~9 per call); calls/grant counts round trips.',
  );
}

runBench(main);
