/**
 * bench/screen: the platform's own cost per job when screening, measured beside the engine.
 *   npm run build && npm run bench:screen -- --jobs 100|1000 [--batch 1000] [--parallel 2]
 * Starts the embedded set-up (master; ingestion+reports, upload, and qc pools, the qc pool with
 * the real sandbox) on a throw-away schema/prefix, submits N tiny xtb single points as bulk
 * batches and waits until all are final; then runs the same N decks directly with the same
 * parallelism, bare and inside the same sandbox, in the same run. Prints wall times, the added
 * ms per job, jobs/s, failures and a per-stage table (BullMQ queue wait and processing per
 * queue, PostgreSQL transactions and row writes, Redis commands, CPU seconds per process).
 */
import { spawn } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { QueueName } from '../queues';
import { loadConfig } from '../src/config/load-config';
import { WorkerConfig } from '../src/config/worker.config';
import { resolveEngine } from '../src/executor/engine-binaries';
import { redisOptions } from '../src/redis/redis-options';
import { LocalSandbox } from '../src/sandbox/local-sandbox';
import { agent, call, cpuSeconds, start, waitFor } from './support/bench-processes';
import { benchWorld, percentile, runBench, stopAll } from './support/bench-world';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '100' },
    batch: { type: 'string', default: '1000' },
    parallel: { type: 'string', default: '2' },
  },
});
const N = Number(values.jobs);
const BATCH = Math.min(Number(values.batch), 1000);
const PARALLEL = Number(values.parallel);
const WATER = '3\nwater\nO 0.000 0.000 0.117\nH 0.000 0.757 -0.467\nH 0.000 -0.757 -0.467\n';
const XTB_ARGS = ['mol.xyz', '--gfn', '2', '--chrg', '0', '--uhf', '0', '--json', '--parallel', '1'];
const STAGES = [QueueName.Ingestion, QueueName.Qc, QueueName.Upload, QueueName.Reports] as const;

/** Runs `launch(i)` for i < n, `parallel` at a time; the wall seconds. */
async function inParallel(n: number, parallel: number, launch: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < n) await launch(next++);
    }),
  );
  return (performance.now() - t) / 1000;
}

function exec(
  file: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; uid?: number; gid?: number },
): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { ...options, stdio: 'ignore' });
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
}

/** The same decks run by hand: bare xtb, and xtb inside the pool's sandbox. */
async function directRuns(env: Record<string, string>): Promise<{ bare: number; sandboxed: number; failures: number }> {
  const config = loadConfig(WorkerConfig, env);
  const sandbox = LocalSandbox.fromConfig(config);
  const xtb = resolveEngine('xtb', { lmp: config.LMP_BIN, xtb: config.XTB_BIN, g16: config.G16_BIN });
  if ('error' in xtb) throw new Error(xtb.error);
  const root = join(config.WORK_DIR, 'direct');
  let failures = 0;
  const dirFor = async (kind: string, i: number) => {
    const dir = join(root, `${kind}-${i}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'mol.xyz'), WATER);
    return dir;
  };
  const threads = { OMP_NUM_THREADS: '1' };
  const bare = await inParallel(N, PARALLEL, async (i) => {
    const dir = await dirFor('bare', i);
    if (
      (await exec(xtb.path, XTB_ARGS, {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...threads },
      })) !== 0
    )
      failures++;
  });
  const sandboxed = await inParallel(N, PARALLEL, async (i) => {
    const dir = await dirFor('sandboxed', i);
    await sandbox.prepare(dir);
    const launch = sandbox.launch(
      xtb.path,
      XTB_ARGS,
      dir,
      threads,
      sandbox.addressSpaceFor({ memoryMb: 1024, tasks: 1 }),
    );
    if ((await exec(launch.file, launch.args, { cwd: dir, env: launch.env, uid: launch.uid, gid: launch.gid })) !== 0)
      failures++;
  });
  await rm(root, { recursive: true, force: true });
  return { bare, sandboxed, failures };
}

/** Queue wait (added → taken) and processing (taken → done) of every finished BullMQ job of a queue, ms. */
async function stageTimes(queue: Queue): Promise<{ wait: number[]; work: number[]; count: number }> {
  const jobs = await queue.getJobs(['completed', 'failed'], 0, -1);
  const wait = jobs
    .filter((j) => j.processedOn)
    .map((j) => j.processedOn! - j.timestamp)
    .sort((a, b) => a - b);
  const work = jobs
    .filter((j) => j.processedOn && j.finishedOn)
    .map((j) => j.finishedOn! - j.processedOn!)
    .sort((a, b) => a - b);
  return { wait, work, count: jobs.length };
}

async function counters(pg: Client, redis: Redis): Promise<{ xacts: number; writes: number; redisCommands: number }> {
  const db = (
    await pg.query(
      'SELECT xact_commit + xact_rollback AS xacts FROM pg_stat_database WHERE datname = current_database()',
    )
  ).rows[0];
  const rows = (
    await pg.query(
      'SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) AS writes FROM pg_stat_user_tables WHERE schemaname = current_schema()',
    )
  ).rows[0];
  const info = await redis.info('stats');
  return {
    xacts: Number(db.xacts),
    writes: Number(rows.writes),
    redisCommands: Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? NaN),
  };
}

/** The time between consecutive transitions of the measured jobs (warm-up left out), by transition. */
async function transitionGaps(pg: Client): Promise<{ step: string; p50: number; p99: number }[]> {
  const { rows } = await pg.query(`
    SELECT from_status || ' → ' || to_status AS step,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY gap) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY gap) AS p99, min(seq) AS seq
      FROM (SELECT e.from_status, e.to_status, e.id AS seq,
                   1000 * extract(epoch FROM e.created_at - lag(e.created_at) OVER (PARTITION BY e.job_id ORDER BY e.id)) AS gap
              FROM job_events e JOIN jobs j ON j.id = e.job_id WHERE j.name NOT LIKE 'screen -%') g
     WHERE gap IS NOT NULL GROUP BY 1 ORDER BY seq`);
  return rows.map((r) => ({ step: r.step, p50: Number(r.p50), p99: Number(r.p99) }));
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '—');

async function main(): Promise<void> {
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  const world = await benchWorld({
    PORT: String(port),
    RECONCILE_INTERVAL_MS: '3600000',
    WORK_DIR: join(tmpdir(), `molq-bench-work-${process.pid}`),
  });
  const { env } = world;
  const pg = new Client({ connectionString: env.DATABASE_URL, options: `-c search_path=${env.DATABASE_SCHEMA}` });
  await pg.connect();
  const redis = new Redis(env.REDIS_URL);
  const processes = {
    master: start('src/main.js', [], env, true),
    'ingestion+reports': start('workers/main.js', ['--queues', 'ingestion,reports'], env),
    upload: start('workers/main.js', ['--queues', 'upload'], env),
    qc: start('workers/main.js', ['--queues', 'qc', '--concurrency', String(PARALLEL)], env),
  };
  const final = async () =>
    (
      await pg.query(
        "SELECT status, count(*)::int AS n FROM jobs WHERE status IN ('COMPLETED', 'FAILED', 'CANCELLED') GROUP BY status",
      )
    ).rows as { status: string; n: number }[];
  const finished = async () => (await final()).reduce((s, r) => s + r.n, 0);
  try {
    await waitFor(async () => (await call(port, 'GET', '/health').catch(() => ({ status: 0 }))).status === 200, 60_000);
    await call(port, 'POST', '/api/v1/auth/register', { email: 'screen@example.org', password: 'benchmark password' });
    const auth = `Bearer ${(await call(port, 'POST', '/api/v1/auth/login', { email: 'screen@example.org', password: 'benchmark password' })).body.accessToken}`;
    const submit = async (count: number, offset: number) => {
      for (let b = 0; b < count; b += BATCH) {
        const jobs = Array.from({ length: Math.min(BATCH, count - b) }, (_, i) => ({
          type: 'qc',
          engine: 'xtb',
          name: `screen ${offset + b + i}`,
          qc: { xyz: WATER, task: 'sp' },
        }));
        const res = await call(port, 'POST', '/api/v1/jobs/bulk', { jobs, reuse: false }, auth); // each runs
        if (res.status !== 202) throw new Error(`bulk submission: ${res.status} ${JSON.stringify(res.body)}`);
      }
    };
    // warm-up (JIT, pools, the sandbox's first start), not measured
    await submit(10, -10);
    await waitFor(async () => (await finished()) === 10, 120_000, 50);
    const queues = Object.fromEntries(
      STAGES.map((q) => [q, new Queue(q, { connection: redisOptions(world.config), prefix: env.REDIS_PREFIX })]),
    ) as Record<(typeof STAGES)[number], Queue>;
    for (const q of STAGES) await queues[q].clean(0, 100_000, 'completed');
    const cpuBefore = Object.fromEntries(Object.entries(processes).map(([k, c]) => [k, cpuSeconds(c.pid!)]));
    const before = await counters(pg, redis);

    const t = performance.now();
    await submit(N, 0);
    await waitFor(async () => (await finished()) === N + 10, 30 * 60_000, 50);
    const molqSeconds = (performance.now() - t) / 1000;

    const after = await counters(pg, redis);
    const cpuAfter = Object.fromEntries(Object.entries(processes).map(([k, c]) => [k, cpuSeconds(c.pid!)]));
    const statuses = Object.fromEntries((await final()).map((r) => [r.status, r.n]));
    const stages = await Promise.all(STAGES.map(async (q) => [q, await stageTimes(queues[q])] as const));
    const gaps = await transitionGaps(pg);
    await Promise.all(STAGES.map((q) => queues[q].close()));
    await stopAll(Object.values(processes));

    const direct = await directRuns(env);
    const failed = (statuses.FAILED ?? 0) + (statuses.CANCELLED ?? 0);
    const added = ((molqSeconds - direct.bare) * 1000) / N;
    console.log(
      `\nbench/screen  jobs=${N} bulk batches of ${BATCH}, ${PARALLEL} at a time (qc pool concurrency = direct parallelism), xtb GFN2 single point on water`,
    );
    console.log('| path | wall s | jobs/s | ms per job |\n|---|---:|---:|---:|');
    console.log(
      `| direct: bare xtb (baseline) | ${direct.bare.toFixed(2)} | ${(N / direct.bare).toFixed(1)} | ${((direct.bare * 1000) / N).toFixed(1)} |`,
    );
    console.log(
      `| direct: xtb in molq's sandbox | ${direct.sandboxed.toFixed(2)} | ${(N / direct.sandboxed).toFixed(1)} | ${((direct.sandboxed * 1000) / N).toFixed(1)} |`,
    );
    console.log(
      `| molq: submit → all final | ${molqSeconds.toFixed(2)} | ${(N / molqSeconds).toFixed(1)} | ${((molqSeconds * 1000) / N).toFixed(1)} |`,
    );
    console.log(
      `added ms per job (molq − bare): ${added.toFixed(1)}; of it the sandbox: ${(((direct.sandboxed - direct.bare) * 1000) / N).toFixed(1)}; molq ÷ bare: ${(molqSeconds / direct.bare).toFixed(2)}×`,
    );
    console.log(`failures: molq ${failed} (${JSON.stringify(statuses)}), direct ${direct.failures}`);
    console.log(
      '\n| stage (queue) | jobs | wait p50 ms | wait p99 ms | work p50 ms | work p99 ms |\n|---|---:|---:|---:|---:|---:|',
    );
    for (const [q, s] of stages)
      console.log(
        `| ${q} | ${s.count} | ${ms(percentile(s.wait, 50))} | ${ms(percentile(s.wait, 99))} | ${ms(percentile(s.work, 50))} | ${ms(percentile(s.work, 99))} |`,
      );
    console.log('\n| transition (time since the previous one) | p50 ms | p99 ms |\n|---|---:|---:|');
    for (const g of gaps) console.log(`| ${g.step} | ${ms(g.p50)} | ${ms(g.p99)} |`);
    console.log(
      `\nper job: PostgreSQL ${((after.xacts - before.xacts) / N).toFixed(1)} transactions (whole database, the bench's queries included), ${((after.writes - before.writes) / N).toFixed(1)} row writes; Redis ${((after.redisCommands - before.redisCommands) / N).toFixed(1)} commands (whole server)`,
    );
    console.log('\n| process | CPU s | CPU ms per job | children CPU s (engines) |\n|---|---:|---:|---:|');
    for (const name of Object.keys(processes)) {
      const own = cpuAfter[name].own - cpuBefore[name].own;
      console.log(
        `| ${name} | ${own.toFixed(2)} | ${((own * 1000) / N).toFixed(1)} | ${(cpuAfter[name].children - cpuBefore[name].children).toFixed(2)} |`,
      );
    }
  } finally {
    await stopAll(Object.values(processes));
    await pg.end();
    redis.disconnect();
    agent.destroy();
    await rm(env.WORK_DIR, { recursive: true, force: true });
    await world.cleanup();
  }
}

runBench(main);
