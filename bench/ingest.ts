/**
 * bench/ingest: submissions per second through the HTTP API (single and bulk) to the job
 * being QUEUED, beside raw BullMQ add/addBulk on the same Redis in the same run.
 *   npm run build && node dist/bench/ingest.js [--single 3000] [--concurrency 32] [--batches 10]
 * Starts a master and one ingestion pool as child processes on a throw-away schema/prefix.
 */
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { redisOptions } from '../src/redis/redis-options';
import { agent, call, cpuSeconds, start, waitFor } from './support/bench-processes';
import { benchWorld, percentile, runBench, stopAll } from './support/bench-world';

const { values } = parseArgs({
  options: {
    single: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '32' },
    batches: { type: 'string', default: '10' },
    'ingest-concurrency': { type: 'string', default: '16' },
  },
});
const SINGLE = Number(values.single);
const CONCURRENCY = Number(values.concurrency);
const BATCHES = Number(values.batches);
const WATER = '3\nwater\nO 0.000 0.000 0.117\nH 0.000 0.757 -0.467\nH 0.000 -0.757 -0.467\n';
const job = (i: number) => ({ type: 'qc', engine: 'xtb', name: `bench ${i}`, qc: { xyz: WATER, task: 'sp' } });

async function main(): Promise<void> {
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  // the bench submits 13,000+ jobs as one user: above the default QUOTA_QUEUED_JOBS (10,000), which would answer 429
  const world = await benchWorld({
    PORT: String(port),
    RECONCILE_INTERVAL_MS: '3600000',
    QUOTA_QUEUED_JOBS: '1000000',
    QUOTA_BATCHES_PER_HOUR: '100000',
    QUOTA_CORE_HOURS_PER_DAY: '100000000',
  });
  const { env } = world;
  const pg = new Client({ connectionString: env.DATABASE_URL, options: `-c search_path=${env.DATABASE_SCHEMA}` });
  await pg.connect();
  const queued = async () =>
    Number((await pg.query("SELECT count(*) FROM jobs WHERE status = 'QUEUED'")).rows[0].count);
  const children = [
    start('src/main.js', [], env, true),
    start('workers/main.js', ['--queues', 'ingestion', '--concurrency', String(values['ingest-concurrency'])], env),
  ];
  try {
    await waitFor(async () => (await call(port, 'GET', '/health').catch(() => ({ status: 0 }))).status === 200, 30_000);
    await call(port, 'POST', '/api/v1/auth/register', { email: 'bench@example.org', password: 'benchmark password' });
    const login = await call(port, 'POST', '/api/v1/auth/login', {
      email: 'bench@example.org',
      password: 'benchmark password',
    });
    const auth = `Bearer ${login.body.accessToken}`;

    // Baseline: raw BullMQ on the same Redis, same process as the HTTP client.
    const raw = new Queue('raw-baseline', { connection: redisOptions(world.config), prefix: env.REDIS_PREFIX });
    let t = performance.now();
    for (let b = 0; b < BATCHES; b++)
      await raw.addBulk(
        Array.from({ length: 1000 }, (_, i) => ({
          name: 'x',
          data: { jobId: `${b}-${i}` },
          opts: { jobId: `${b}-${i}` },
        })),
      );
    const rawBulkRate = (BATCHES * 1000) / ((performance.now() - t) / 1000);
    t = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < SINGLE) {
          const i = next++;
          await raw.add('x', { jobId: `s-${i}` }, { jobId: `s-${i}` });
        }
      }),
    );
    const rawAddRate = SINGLE / ((performance.now() - t) / 1000);
    await raw.obliterate({ force: true });
    await raw.close();

    // Warm-up (JIT, connection pools), not measured.
    await Promise.all(Array.from({ length: 200 }, (_, i) => call(port, 'POST', '/api/v1/jobs', job(i), auth)));
    await waitFor(async () => (await queued()) === 200);

    // CPU of the master and the ingestion pool per job, per phase (the HTTP clients run in this process)
    const cpu = () => children.map((c) => cpuSeconds(c.pid!).own);
    const cpuPerJob = (from: number[], to: number[], jobs: number) => from.map((f, i) => ((to[i] - f) * 1000) / jobs);
    // Single submissions: CONCURRENCY clients, keep-alive.
    const singleCpuFrom = cpu();
    const latencies: number[] = [];
    let errors = 0;
    next = 0;
    t = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < SINGLE) {
          const i = next++;
          const res = await call(port, 'POST', '/api/v1/jobs', job(i), auth);
          if (res.status !== 202) errors++;
          latencies.push(res.ms);
        }
      }),
    );
    const acceptSeconds = (performance.now() - t) / 1000;
    await waitFor(async () => (await queued()) === 200 + SINGLE);
    const singleQueuedSeconds = (performance.now() - t) / 1000;
    const singleCpu = cpuPerJob(singleCpuFrom, cpu(), SINGLE);
    latencies.sort((a, b) => a - b);

    // Bulk: BATCHES × 1,000 jobs, two batches in flight.
    const before = await queued();
    const bulkCpuFrom = cpu();
    t = performance.now();
    let b = 0;
    await Promise.all(
      [0, 1].map(async () => {
        while (b < BATCHES) {
          b++;
          const res = await call(
            port,
            'POST',
            '/api/v1/jobs/bulk',
            { jobs: Array.from({ length: 1000 }, (_, i) => job(i)) },
            auth,
          );
          if (res.status !== 202) errors++;
        }
      }),
    );
    const bulkAcceptSeconds = (performance.now() - t) / 1000;
    if (errors > 0) throw new Error(`${errors} submission(s) were not accepted (202): the figures would be wrong`);
    await waitFor(async () => (await queued()) === before + BATCHES * 1000, 300_000);
    const bulkQueuedSeconds = (performance.now() - t) / 1000;
    const bulkCpu = cpuPerJob(bulkCpuFrom, cpu(), BATCHES * 1000);

    const rows = [
      ['raw BullMQ add (baseline)', rawAddRate, 1],
      ['raw BullMQ addBulk (baseline)', rawBulkRate, 1],
      ['API single: accepted (202)', SINGLE / acceptSeconds, SINGLE / acceptSeconds / rawAddRate],
      ['API single: to QUEUED', SINGLE / singleQueuedSeconds, SINGLE / singleQueuedSeconds / rawAddRate],
      [
        'API bulk: accepted (202)',
        (BATCHES * 1000) / bulkAcceptSeconds,
        (BATCHES * 1000) / bulkAcceptSeconds / rawBulkRate,
      ],
      ['API bulk: to QUEUED', (BATCHES * 1000) / bulkQueuedSeconds, (BATCHES * 1000) / bulkQueuedSeconds / rawBulkRate],
    ] as const;
    console.log(
      `\nbench/ingest  single=${SINGLE} concurrency=${CONCURRENCY} bulk=${BATCHES}x1000 ingestion-concurrency=${values['ingest-concurrency']} errors=${errors}`,
    );
    console.log('| path | jobs/s | × baseline |\n|---|---:|---:|');
    for (const [name, rate, ratio] of rows) console.log(`| ${name} | ${rate.toFixed(0)} | ${ratio.toFixed(2)} |`);
    console.log('| process | CPU ms per job, single | CPU ms per job, bulk |\n|---|---:|---:|');
    ['master', 'ingestion pool'].forEach((name, i) =>
      console.log(`| ${name} | ${singleCpu[i].toFixed(2)} | ${bulkCpu[i].toFixed(2)} |`),
    );
    console.log(
      `single submission latency: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms`,
    );
  } finally {
    await stopAll(children);
    await pg.end();
    agent.destroy();
    await world.cleanup();
  }
}

runBench(main);
