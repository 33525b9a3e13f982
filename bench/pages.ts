/**
 * bench/pages: the read side with a big jobs table. One user owns --jobs (100,000) jobs, half of
 * them in one batch, each with its events and artifacts; another user owns as many again. The master
 * answers the web UI's calls (jobs list first and later pages, filters, a job page, the batch page
 * and that batch's job list) from --clients concurrent clients; p50/p99 per call, beside the same
 * clients calling GET /auth/me (authentication and one account read: the floor of any page).
 *   npm run build && npm run bench:pages -- [--jobs 100000] [--clients 8] [--requests 400]
 */
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { call, start, waitFor } from './support/bench-processes';
import { benchWorld, percentile, runBench, stopAll } from './support/bench-world';
import { seedJobs } from './support/seed-jobs';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '100000' },
    clients: { type: 'string', default: '8' },
    requests: { type: 'string', default: '400' },
  },
});
const JOBS = Number(values.jobs);
const CLIENTS = Number(values.clients);
const REQUESTS = Number(values.requests);

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

async function main(): Promise<void> {
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  const world = await benchWorld({ PORT: String(port), RECONCILE_INTERVAL_MS: '3600000' });
  const { env } = world;
  const pg = new Client({ connectionString: env.DATABASE_URL, options: `-c search_path=${env.DATABASE_SCHEMA}` });
  await pg.connect();
  const master = start('src/main.js', [], env, true);
  try {
    await waitFor(async () => (await call(port, 'GET', '/health').catch(() => ({ status: 0 }))).status === 200, 30_000);
    const login = async (email: string) => {
      await call(port, 'POST', '/api/v1/auth/register', { email, password: 'benchmark password' });
      return (await call(port, 'POST', '/api/v1/auth/login', { email, password: 'benchmark password' })).body.accessToken as string;
    };
    const auth = `Bearer ${await login('pages@example.org')}`;
    await login('neighbour@example.org');

    let t = performance.now();
    const seeded = await seedJobs(pg, 'pages@example.org', JOBS);
    await seedJobs(pg, 'neighbour@example.org', JOBS);
    await pg.query('VACUUM ANALYZE');
    console.log(`seeded 2 × ${JOBS.toLocaleString('en')} jobs with events and artifacts in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const first = await call(port, 'GET', '/api/v1/jobs?pageSize=20', undefined, auth);
    const cursorOf = (body: any): string | undefined => body?.nextCursor;
    // the cursor 5 pages in, and one 2,000 pages in (40,000 jobs back), for "later pages"
    let deep = first.body;
    for (let i = 0; i < 5 && cursorOf(deep); i++) deep = (await call(port, 'GET', `/api/v1/jobs?pageSize=20&cursor=${encodeURIComponent(cursorOf(deep)!)}`, undefined, auth)).body;
    const page6 = cursorOf(deep);
    const oldest = await pg.query('SELECT id FROM jobs WHERE owner_id = $1 ORDER BY created_at ASC, id ASC LIMIT 1', [seeded.ownerId]);
    const jobId = oldest.rows[0].id;

    const calls: [string, () => string][] = [
      ['who am I (baseline)', () => '/auth/me'],
      ['jobs list, first page', () => '/jobs?pageSize=20'],
      ['jobs list, page 6 (cursor)', () => (page6 ? `/jobs?pageSize=20&cursor=${encodeURIComponent(page6)}` : '/jobs?pageSize=20&page=6')],
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
    const base = timings[0];
    console.log(`\n${JOBS.toLocaleString('en')} jobs of one user (${seeded.bigBatchJobs.toLocaleString('en')} in one batch), ${CLIENTS} clients, ${REQUESTS} requests per call`);
    console.log('| call | p50 ms | p99 ms | p99 ÷ baseline p99 | errors |');
    console.log('|---|---:|---:|---:|---:|');
    for (const r of timings) console.log(`| ${r.name} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${(r.p99 / base.p99).toFixed(1)}× | ${r.errors} |`);
  } finally {
    await stopAll([master]);
    await pg.end();
    await world.cleanup();
  }
}

runBench(main);
