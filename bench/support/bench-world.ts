import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { loadConfig } from '../../src/config/load-config';
import { MasterConfig } from '../../src/config/master.config';
import { migrate } from '../../src/database/migrate';

/** A throw-away schema + Redis prefix on the local services, like the tests use. */
export async function benchWorld(overrides: Record<string, string> = {}) {
  const id = randomBytes(4).toString('hex');
  const env: Record<string, string> = {
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'postgres://molq:molq@127.0.0.1:5432/molq_test',
    DATABASE_SCHEMA: `bench_${id}`,
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
    REDIS_PREFIX: `molq-bench-${id}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    URL_SIGNING_SECRET: randomBytes(32).toString('hex'),
    STORAGE_DIR: join(tmpdir(), `molq-bench-${id}`),
    LOG_LEVEL: 'error',
    ...overrides,
  };
  const config = loadConfig(MasterConfig, env);
  await migrate(config);
  const cleanup = async () => {
    const pg = new Client({ connectionString: env.DATABASE_URL });
    await pg.connect();
    await pg.query(`DROP SCHEMA IF EXISTS "${env.DATABASE_SCHEMA}" CASCADE`);
    await pg.end();
    const redis = new Redis(env.REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.REDIS_PREFIX}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
    await rm(env.STORAGE_DIR, { recursive: true, force: true });
  };
  return { env, config, cleanup };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** SIGTERM to every child process, resolved when all have exited. */
export async function stopAll(children: import('node:child_process').ChildProcess[]): Promise<void> {
  for (const c of children) c.kill('SIGTERM');
  // a child that exited on a signal has signalCode set and exitCode null: it will not emit 'exit' again
  await Promise.all(
    children.map(
      (c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r))),
    ),
  );
}

/** Runs a benchmark's main and exits: 0 when it finished, 1 (with the error printed) if it threw. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    // a client library's idle handle must not keep a finished benchmark alive
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
