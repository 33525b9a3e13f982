/**
 * bench/pages: the read side with a big jobs table. One user owns --jobs (100,000) jobs, half of
 * them in one batch, each with its events and artifacts; another user owns as many again. The master
 * answers the web UI's calls (jobs list first and later pages, filters, a job page, the batch page
 * and that batch's job list) from --clients concurrent clients; p50/p99 per call, beside the same
 * clients calling GET /auth/me (authentication and one account read: the floor of any page).
 * Then, live: --queued (10,000) jobs waiting and --running (1,000) held RUNNING by a bridge load (pull API,
 * heartbeats every 15 s): the same calls, the master's and ingestion pool's RSS and CPU.
 *   npm run build && npm run bench:pages -- [--jobs 100000] [--clients 8] [--requests 400] [--queued 10000] [--running 1000]
 */
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { readFileSync } from 'node:fs';
import { call, cpuSeconds, start, waitFor } from './support/bench-processes';
import { BridgeLoad } from './support/bridge-load';
import { benchWorld, percentile, runBench, stopAll } from './support/bench-world';
import { seedJobs } from './support/seed-jobs';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '100000' },
    clients: { type: 'string', default: '8' },
    requests: { type: 'string', default: '400' },
    queued: { type: 'string', default: '10000' },
    running: { type: 'string', default: '1000' },
  },
});
const JOBS = Number(values.jobs);
const CLIENTS = Number(values.clients);
const REQUESTS = Number(values.requests);
const QUEUED = Number(values.queued);
const RUNNING = Number(values.running);
const WATER = '3\nwater\nO 0.000 0.000 0.117\nH 0.000 0.757 -0.467\nH 0.000 -0.757 -0.467\n';

type Timing = { name: string; p50: number; p99: number; errors: number };

async function measure(name: string, port: number, auth: string, path: () => string): Promise<Timing> {
  const ms: number[] = [];
  let errors = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < REQUESTS) {
        next++;
        const res = await call(port, 'GET', `/api/v1${path()}`, undefined, auth);
        if (res.status !== 200) errors++;
        ms.push(res.ms);
      }
    }),
  );
  ms.sort((a, b) => a - b);
  return { name, p50: percentile(ms, 50), p99: percentile(ms, 99), errors };
}

function print(title: string, timings: Timing[]): void {
  const base = timings[0];
  console.log(`\n${title}`);
  console.log('| call | p50 ms | p99 ms | p99 ÷ baseline p99 | errors |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of timings)
    console.log(
      `| ${r.name} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${(r.p99 / base.p99).toFixed(1)}× | ${r.errors} |`,
    );
}

function rssMiB(pid: number): string {
  const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb ? (Number(kb) / 1024).toFixed(0) : '?';
}

async function main(): Promise<void> {
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  // the live phase holds QUEUED + RUNNING jobs of one user: above the default per-user quotas
  const world = await benchWorld({
    PORT: String(port),
    QUOTA_QUEUED_JOBS: '1000000',
    QUOTA_RUNNING_JOBS: '100000',
    QUOTA_BATCHES_PER_HOUR: '100000',
    QUOTA_CORE_HOURS_PER_DAY: '100000000',
  });
  const { env } = world;
  const pg = new Client({ connectionString: env.DATABASE_URL, options: `-c search_path=${env.DATABASE_SCHEMA}` });
  await pg.connect();
  const master = start('src/main.js', [], env, true);
  const children = [master];
  try {
    await waitFor(async () => (await call(port, 'GET', '/health').catch(() => ({ status: 0 }))).status === 200, 30_000);
    const login = async (email: string) => {
      await call(port, 'POST', '/api/v1/auth/register', { email, password: 'benchmark password' });
      return (await call(port, 'POST', '/api/v1/auth/login', { email, password: 'benchmark password' })).body
        .accessToken as string;
    };
    const auth = `Bearer ${await login('pages@example.org')}`;
    await login('neighbour@example.org');

    let t = performance.now();
    const seeded = await seedJobs(pg, 'pages@example.org', JOBS);
    await seedJobs(pg, 'neighbour@example.org', JOBS);
    await pg.query('VACUUM ANALYZE');
    console.log(
      `seeded 2 × ${JOBS.toLocaleString('en')} jobs with events and artifacts in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );

    const first = await call(port, 'GET', '/api/v1/jobs?pageSize=20', undefined, auth);
    const cursorOf = (body: any): string | undefined => body?.nextCursor;
    // the cursor 5 pages in, and one 2,000 pages in (40,000 jobs back), for "later pages"
    let deep = first.body;
    for (let i = 0; i < 5 && cursorOf(deep); i++)
      deep = (
        await call(
          port,
          'GET',
          `/api/v1/jobs?pageSize=20&cursor=${encodeURIComponent(cursorOf(deep)!)}`,
          undefined,
          auth,
        )
      ).body;
    const page6 = cursorOf(deep);
    const oldest = await pg.query('SELECT id FROM jobs WHERE owner_id = $1 ORDER BY created_at ASC, id ASC LIMIT 1', [
      seeded.ownerId,
    ]);
    const jobId = oldest.rows[0].id;

    const calls: [string, () => string][] = [
      ['who am I (baseline)', () => '/auth/me'],
      ['jobs list, first page', () => '/jobs?pageSize=20'],
      [
        'jobs list, page 6 (cursor)',
        () => (page6 ? `/jobs?pageSize=20&cursor=${encodeURIComponent(page6)}` : '/jobs?pageSize=20&page=6'),
      ],
      ['jobs list, page 500 (offset)', () => '/jobs?pageSize=20&page=500'],
      ['jobs list, status=FAILED', () => '/jobs?pageSize=20&status=FAILED'],
      ['jobs list, engine=lammps', () => '/jobs?pageSize=20&engine=lammps'],
      ['jobs list, name search', () => '/jobs?pageSize=20&q=conformer%2042'],
      ['job page', () => `/jobs/${jobId}`],
      ['batch page: batch', () => `/batches/${seeded.bigBatchId}`],
      ['batch page: its jobs', () => `/jobs?batchId=${seeded.bigBatchId}&pageSize=100`],
    ];
    for (const [name, path] of calls) await measure(name, port, auth, path); // warm-up
    const timings: Timing[] = [];
    for (const [name, path] of calls) timings.push(await measure(name, port, auth, path));
    print(
      `${JOBS.toLocaleString('en')} jobs of one user (${seeded.bigBatchJobs.toLocaleString('en')} in one batch), ${CLIENTS} clients, ${REQUESTS} requests per call`,
      timings,
    );

    // Export of the big batch, as a download (one client): the whole table streamed
    for (const format of ['csv', 'json']) {
      t = performance.now();
      const res = await call(
        port,
        'GET',
        `/api/v1/batches/${seeded.bigBatchId}/export?format=${format}`,
        undefined,
        auth,
      );
      const seconds = (performance.now() - t) / 1000;
      const bytes = Buffer.byteLength(typeof res.body === 'string' ? res.body : JSON.stringify(res.body));
      console.log(
        `export of the ${seeded.bigBatchJobs.toLocaleString('en')}-job batch as ${format}: ${res.status}, ${seconds.toFixed(2)} s, ${(bytes / 1e6).toFixed(1)} MB, ${Math.round(seeded.bigBatchJobs / seconds).toLocaleString('en')} rows/s`,
      );
    }

    // Live: QUEUED jobs waiting and RUNNING jobs held by bridges (heartbeats every 15 s with progress), as the same user.
    if (QUEUED + RUNNING > 0) {
      const ingestion = start('workers/main.js', ['--queues', 'ingestion'], env);
      children.push(ingestion);
      t = performance.now();
      let liveBatch = '';
      for (let left = QUEUED + RUNNING; left > 0; left -= 1_000) {
        const jobs = Array.from({ length: Math.min(1_000, left) }, (_, i) => ({
          type: 'qc',
          engine: 'xtb',
          name: `live ${left - i}`,
          qc: { xyz: WATER, task: 'sp' },
        }));
        const res = await call(port, 'POST', '/api/v1/jobs/bulk', { name: `live ${left}`, jobs, reuse: false }, auth);
        if (res.status !== 202) throw new Error(`bulk submission answered ${res.status}: ${JSON.stringify(res.body)}`);
        liveBatch = res.body.batchId;
      }
      await waitFor(
        async () =>
          Number(
            (await pg.query("SELECT count(*) FROM jobs WHERE status = 'QUEUED' AND owner_id = $1", [seeded.ownerId]))
              .rows[0].count,
          ) >=
          QUEUED + RUNNING,
        600_000,
        500,
      );
      const submitted = (performance.now() - t) / 1000;
      const bridge = new BridgeLoad(port, BridgeLoad.issueToken(env));
      t = performance.now();
      await bridge.hold(RUNNING);
      const claimed = (performance.now() - t) / 1000;
      const running = Number(
        (await pg.query("SELECT count(*) FROM jobs WHERE status = 'RUNNING' AND owner_id = $1", [seeded.ownerId]))
          .rows[0].count,
      );
      if (running !== RUNNING) throw new Error(`${running} jobs RUNNING, not ${RUNNING}`);
      console.log(
        `\nlive: ${(QUEUED + RUNNING).toLocaleString('en')} jobs submitted and QUEUED in ${submitted.toFixed(1)} s; ${RUNNING.toLocaleString('en')} claimed by a bridge load and RUNNING in ${claimed.toFixed(1)} s`,
      );
      bridge.start(15_000);
      const runningJob = bridge.held[0];
      const liveCalls: [string, () => string][] = [
        ['who am I (baseline)', () => '/auth/me'],
        ['jobs list, first page', () => '/jobs?pageSize=20'],
        ['jobs list, status=RUNNING', () => '/jobs?pageSize=20&status=RUNNING'],
        ['job page (a running job)', () => `/jobs/${runningJob}`],
        ['batch page: batch (1,000 live jobs)', () => `/batches/${liveBatch}`],
        ['batch page: its jobs', () => `/jobs?batchId=${liveBatch}&pageSize=100`],
      ];
      const before = children.map((c) => ({ cpu: cpuSeconds(c.pid!).own, at: performance.now() }));
      const live: Timing[] = [];
      for (const [name, path] of liveCalls) live.push(await measure(name, port, auth, path));
      // and a quiet minute of heartbeats only: what 1,000 running jobs cost the master by themselves
      const quietFrom = children.map((c) => ({ cpu: cpuSeconds(c.pid!).own, at: performance.now() }));
      await new Promise((r) => setTimeout(r, 30_000));
      await bridge.stop();
      print(
        `live: ${QUEUED.toLocaleString('en')} QUEUED, ${RUNNING.toLocaleString('en')} RUNNING (heartbeat each every 15 s) beside the ${(2 * JOBS).toLocaleString('en')} finished, ${CLIENTS} clients`,
        live,
      );
      const hb = [...bridge.heartbeatMs].sort((a, b) => a - b);
      console.log(
        `\nheartbeats: ${hb.length}, p50 ${percentile(hb, 50).toFixed(1)} ms, p99 ${percentile(hb, 99).toFixed(1)} ms, errors ${bridge.errors}`,
      );
      console.log('| process | RSS MiB | CPU % while the calls ran | CPU % with heartbeats only |');
      console.log('|---|---:|---:|---:|');
      children.forEach((c, i) => {
        const pct = (from: { cpu: number; at: number }, to: { cpu: number; at: number }) =>
          ((100 * (to.cpu - from.cpu)) / ((to.at - from.at) / 1000)).toFixed(0);
        const now = { cpu: cpuSeconds(c.pid!).own, at: performance.now() };
        console.log(
          `| ${i === 0 ? 'master' : 'ingestion pool'} | ${rssMiB(c.pid!)} | ${pct(before[i], quietFrom[i])} | ${pct(quietFrom[i], now)} |`,
        );
      });
    }
  } finally {
    await stopAll(children);
    await pg.end();
    await world.cleanup();
  }
}

runBench(main);
