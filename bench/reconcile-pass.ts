/**
 * bench/reconcile-pass (issue 30.4): what one reconciler pass costs over N open jobs, the old way (one
 * getJobState script per job, pages of 500 at once) against the Reconciler as built (one round trip per
 * page, paced), in the same process on the same data. N QUEUED xtb jobs of a throw-away user in
 * PostgreSQL, each with its prioritized entry on qc (as submission leaves them), on a redis-server of the
 * bench's own (so its command statistics count the passes alone). Per pass: wall time, the process's CPU,
 * Redis scripts run and their server time (INFO commandstats), the event-loop delay (p99, max, beyond the
 * sampling timer's 10 ms) and the round-trip time another Redis client of the process saw meanwhile (a
 * PING every 10 ms: what the API's Redis calls wait, the loop's delay included).
 *   npm run build && npm run bench:reconcile -- [--jobs 100000] [--rounds 2]
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { QueueName, type QueuePayloads } from '../queues';
import { BatchStore } from '../src/batches/batch-store';
import { dataSourceOptions } from '../src/database/data-source-options';
import { pipelineEntry } from '../src/jobs/job-routing';
import { JobStore } from '../src/jobs/job-store';
import { QueueProducer } from '../src/queueing/queue-producer';
import { Reconciler, type ReconcileReport } from '../src/reconciler/reconciler.service';
import { BatchReportService } from '../src/results/batch-report.service';
import { LocalStorage } from '../src/storage/local-storage';
import { benchWorld, percentile, runBench } from './support/bench-world';

const { values } = parseArgs({
  options: { jobs: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '2' } },
});
const JOBS = Number(values.jobs);
const ROUNDS = Number(values.rounds);
/** The event-loop histogram samples a 10 ms timer; what it reports beyond that is the loop's delay. */
const LOOP_RESOLUTION_MS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The pass as it was before issue 30.4 (reconciler.service.ts at a5617c2): one getJobState per job. */
async function oldPass(jobs: JobStore, producer: QueueProducer): Promise<ReconcileReport> {
  const report = { checked: 0, enqueued: 0 };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const page = await jobs.pipelinePage(after, 500);
    if (page.length === 0) return report;
    report.checked += page.length;
    const results = await Promise.all(
      page.map(async (job) => {
        const entry = pipelineEntry(job);
        if (!entry) return false;
        const queue = producer.queue(entry.queue);
        const state = await queue.getJobState(job.id);
        const finished = state === 'completed' || state === 'failed';
        if (state !== 'unknown' && !finished) return false;
        if (finished) await queue.remove(job.id);
        const payload = entry.payload as QueuePayloads[QueueName];
        await producer.enqueue(entry.queue, payload, { priority: entry.priority });
        return true;
      }),
    );
    report.enqueued += results.filter(Boolean).length;
    after = page[page.length - 1].id;
  }
}

interface PassFigures {
  how: string;
  report: ReconcileReport;
  wallMs: number;
  cpuMs: number;
  scripts: number;
  redisServerMs: number;
  loopP99: number;
  loopMax: number;
  pingP99: number;
  pingMax: number;
}

async function measure(how: string, admin: Redis, probe: Redis, pass: () => Promise<ReconcileReport>) {
  await admin.config('RESETSTAT');
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  const pings: number[] = [];
  let probing = true;
  const pinger = (async () => {
    while (probing) {
      const t = performance.now();
      await probe.ping();
      pings.push(performance.now() - t);
      await sleep(10);
    }
  })();
  loop.enable();
  const cpu = process.cpuUsage();
  const t = performance.now();
  const report = await pass();
  const wallMs = performance.now() - t;
  const used = process.cpuUsage(cpu);
  loop.disable();
  probing = false;
  await pinger;
  const stats = await admin.info('commandstats');
  let scripts = 0;
  let usec = 0;
  for (const [, name, calls, us] of stats.matchAll(/^cmdstat_(\w+):calls=(\d+),usec=(\d+)/gm))
    if (name === 'eval' || name === 'evalsha') {
      scripts += Number(calls);
      usec += Number(us); // a script's usec holds its inner commands'
    }
  pings.sort((a, b) => a - b);
  const figures: PassFigures = {
    how,
    report,
    wallMs,
    cpuMs: (used.user + used.system) / 1_000,
    scripts,
    redisServerMs: usec / 1_000,
    loopP99: Math.max(0, loop.percentile(99) / 1e6 - LOOP_RESOLUTION_MS), // late beyond the timer's own 10 ms
    loopMax: Math.max(0, loop.max / 1e6 - LOOP_RESOLUTION_MS),
    pingP99: percentile(pings, 99),
    pingMax: pings[pings.length - 1] ?? NaN,
  };
  return figures;
}

function ownRedis(): Promise<{ url: string; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => {
        const proc = spawn(
          'redis-server',
          ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
          {
            stdio: 'ignore',
          },
        );
        resolve({ url: `redis://127.0.0.1:${port}`, stop: () => proc.kill('SIGKILL') });
      });
    });
  });
}

async function main(): Promise<void> {
  const redis = await ownRedis();
  const admin = new Redis(redis.url, { retryStrategy: () => 100 });
  admin.on('error', () => undefined); // refused until redis-server listens; the ping below waits
  await admin.ping();
  const probe = new Redis(redis.url);
  const world = await benchWorld({ REDIS_URL: redis.url });
  const ds = await new DataSource(dataSourceOptions(world.config)).initialize();
  const producer = new QueueProducer(world.config);
  try {
    const [{ id: ownerId }] = await ds.query(
      `INSERT INTO users (email, password_hash) VALUES ('reconcile-bench@example.org', 'x') RETURNING id`,
    );
    const t = performance.now();
    await ds.query(
      `INSERT INTO jobs (id, owner_id, type, engine, name, status, spec, priority)
       SELECT gen_random_uuid(), $1, 'qc', 'xtb', 'conformer ' || i, 'QUEUED', '{}'::jsonb, 5 FROM generate_series(1, $2::int) i`,
      [ownerId, JOBS],
    );
    const ids: { id: string }[] = await ds.query('SELECT id FROM jobs');
    for (let i = 0; i < ids.length; i += 1_000)
      await producer.enqueueMany(
        QueueName.Qc,
        ids
          .slice(i, i + 1_000)
          .map(({ id }) => ({ payload: { jobId: id, engine: 'xtb', owner: ownerId }, priority: 5 })),
      );
    console.log(`loaded ${JOBS} QUEUED jobs and their qc entries in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const jobs = new JobStore(ds);
    const reports = new BatchReportService(new BatchStore(ds), producer, new LocalStorage(world.env.STORAGE_DIR));
    const reconciler = new Reconciler(jobs, producer, reports, world.config);
    const runs: PassFigures[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      runs.push(await measure('old: getJobState per job', admin, probe, () => oldPass(jobs, producer)));
      const figures = await measure('new: one round trip per page', admin, probe, () => reconciler.reconcile());
      runs.push(figures);
      const cost = reconciler.lastPass!;
      console.log(
        `  new pass's own report: ${cost.pages} pages, Redis ${cost.redisMs} ms in ${cost.redisRoundTrips} round trips`,
      );
    }
    console.log(`\n${JOBS} open jobs, ${ROUNDS} round(s)`);
    console.log(
      '| pass | checked / re-added | wall s | CPU s | Redis scripts | Redis server ms | event-loop delay p99 / max ms | PING p99 / max ms |',
    );
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const r of runs)
      console.log(
        `| ${r.how} | ${r.report.checked} / ${r.report.enqueued} | ${(r.wallMs / 1000).toFixed(2)} | ${(r.cpuMs / 1000).toFixed(2)} | ` +
          `${r.scripts} | ${r.redisServerMs.toFixed(0)} | ${r.loopP99.toFixed(1)} / ${r.loopMax.toFixed(1)} | ` +
          `${r.pingP99.toFixed(2)} / ${r.pingMax.toFixed(2)} |`,
      );
    const median = (how: string, pick: (r: PassFigures) => number) => {
      const v = runs
        .filter((r) => r.how.startsWith(how))
        .map(pick)
        .sort((a, b) => a - b);
      return v[Math.floor((v.length - 1) / 2)];
    };
    const ratio = (pick: (r: PassFigures) => number) => (median('new', pick) / median('old', pick)).toFixed(3);
    console.log(
      `\nnew / old (medians): wall ${ratio((r) => r.wallMs)}, CPU ${ratio((r) => r.cpuMs)}, ` +
        `Redis scripts ${ratio((r) => r.scripts)}, Redis server time ${ratio((r) => r.redisServerMs)}, ` +
        `event-loop p99 ${ratio((r) => r.loopP99)}, max ${ratio((r) => r.loopMax)}, PING p99 ${ratio((r) => r.pingP99)}`,
    );
  } finally {
    await producer.onModuleDestroy();
    await ds.destroy();
    await world.cleanup().catch(() => undefined);
    admin.disconnect();
    probe.disconnect();
    redis.stop();
  }
}

runBench(main);
