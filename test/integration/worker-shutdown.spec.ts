import { execFileSync } from 'node:child_process';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { QueueName } from '../../queues';
import { JobStatus } from '../../src/jobs/job-status';
import { Job } from '../../src/jobs/job.entity';
import { QueueProducer } from '../../src/queueing/queue-producer';
import { openDataSource } from '../support/data-source';
import { eventually } from '../support/eventually';
import { newJob, newUser } from '../support/job-factory';
import { withoutMasterSecrets } from '../../src/config/master-secrets';
import { spawnBuilt, type Spawned } from '../support/processes';
import { newWorld, setUpWorld, tearDownWorld } from '../support/test-config';

const world = newWorld();
let ds: DataSource;
let producer: QueueProducer;
let ownerId: string;
const workers: Spawned[] = [];

beforeAll(async () => {
  await setUpWorld(world);
  ds = await openDataSource(world);
  producer = new QueueProducer(world.master);
  ownerId = (await newUser(ds)).id;
});

afterAll(async () => {
  for (const w of workers) if (w.proc.exitCode === null) w.proc.kill('SIGKILL');
  await producer?.onModuleDestroy();
  await ds?.destroy();
  await tearDownWorld(world);
});

function startWorker(env: Record<string, string> = {}): Spawned {
  const w = spawnBuilt('workers/main.js', ['--queues', 'ingestion'], {
    ...withoutMasterSecrets(world.env),
    LOG_LEVEL: 'info',
    ...env,
  });
  workers.push(w);
  return w;
}

/** Holds the job's row lock from outside, so the worker's ingestion blocks mid-job until released. */
async function holdRow(jobId: string): Promise<Client> {
  const pg = new Client({
    connectionString: world.env.DATABASE_URL,
    options: `-c search_path=${world.env.DATABASE_SCHEMA}`,
  });
  await pg.connect();
  await pg.query('BEGIN');
  await pg.query('SELECT id FROM jobs WHERE id = $1 FOR UPDATE', [jobId]);
  return pg;
}

/** The worker is really inside the job: its transaction waits for the row lock the test holds. */
const workerBlocked = async () =>
  (
    await ds.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'WITH locked AS%FOR UPDATE%'`,
    )
  )[0].n > 0;

const status = async (id: string) => (await ds.getRepository(Job).findOneByOrFail({ id })).status;
const ingestion = () => producer.queue(QueueName.Ingestion);

describe('a worker pool stopped with SIGTERM in the middle of a job', () => {
  it('lets the running job finish within the grace period, then exits 0', async () => {
    const job = await newJob(ds, ownerId, JobStatus.Pending, 'md');
    const lock = await holdRow(job.id);
    const worker = startWorker({ WORKER_SHUTDOWN_GRACE_MS: '20000' });
    await producer.enqueue(QueueName.Ingestion, { jobId: job.id });
    await eventually(async () => (await ingestion().getJobState(job.id)) === 'active', 20_000);
    await eventually(workerBlocked, 20_000);

    worker.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    expect(worker.proc.exitCode).toBeNull(); // still waiting for its job
    await lock.query('COMMIT');
    await lock.end();

    expect((await worker.exited).code).toBe(0);
    expect(await status(job.id)).toBe(JobStatus.Queued);
    expect(await ingestion().getJobState(job.id)).toBe('completed');
    expect(await producer.queue(QueueName.Md).getJobState(job.id)).toBe('waiting');
  });

  it('hands a job still running after the grace period back to its queue, attempt not spent, and another worker finishes it', async () => {
    const job = await newJob(ds, ownerId, JobStatus.Pending, 'qc');
    const lock = await holdRow(job.id);
    const first = startWorker({ WORKER_SHUTDOWN_GRACE_MS: '300' });
    await producer.enqueue(QueueName.Ingestion, { jobId: job.id });
    await eventually(async () => (await ingestion().getJobState(job.id)) === 'active', 20_000);
    await eventually(workerBlocked, 20_000);

    first.proc.kill('SIGTERM');
    const exit = await first.exited;
    expect({ code: exit.code, handedBack: first.output().includes('handing them back') }).toEqual({
      code: 0,
      handedBack: true,
    });
    const back = await ingestion().getJob(job.id);
    expect(['waiting', 'prioritized']).toContain(await back!.getState());
    expect(back!.attemptsMade).toBe(0);
    expect(await status(job.id)).toBe(JobStatus.Pending); // its transaction was rolled back with the process

    await lock.query('COMMIT');
    await lock.end();
    const second = startWorker();
    await eventually(async () => (await status(job.id)) === JobStatus.Queued, 20_000);
    // the run entry follows the commit (JobPipeline: commit, then enqueue): wait for it, briefly
    await eventually(
      async () => ['waiting', 'prioritized'].includes(await producer.queue(QueueName.Qc).getJobState(job.id)),
      5_000,
      50,
    );
    second.proc.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
  });
});

describe('a worker pool killed outright (SIGKILL) while its engine runs', () => {
  it('takes its engine with it (the sandbox dies with its parent): no orphan, and the re-run does not overlap one', async () => {
    const job = await newJob(ds, ownerId, JobStatus.Pending, 'md', {
      resources: { tasks: 1, walltimeMinutes: 5, memoryMb: 500 },
      md: {
        template: 'lj-melt',
        params: { atomsPerSide: 6, temperature: 3, steps: 10_000_000, thermoEvery: 1000, seed: 1 },
      },
    });
    const pool = spawnBuilt('workers/main.js', ['--queues', 'ingestion,md'], {
      ...withoutMasterSecrets(world.env),
      LOG_LEVEL: 'warn',
    });
    workers.push(pool);
    await producer.enqueue(QueueName.Ingestion, { jobId: job.id });
    await eventually(async () => (await status(job.id)) === JobStatus.Running, 60_000, 100);
    const engines = () => {
      try {
        // this file's sandboxes (their argv holds its work root); other test files run engines at the same time
        return execFileSync('pgrep', ['-u', 'molq-sandbox', '-f', world.env.WORK_DIR], { encoding: 'utf8' })
          .trim()
          .split('\n')
          .filter(Boolean);
      } catch {
        return [];
      }
    };
    await eventually(() => engines().length > 0, 10_000, 100);
    pool.proc.kill('SIGKILL');
    await pool.exited;
    await eventually(() => engines().length === 0, 5_000, 100).catch(() => expect(engines()).toEqual([]));
  }, 90_000);
});
