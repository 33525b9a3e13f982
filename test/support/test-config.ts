import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { loadConfig } from '../../src/config/load-config';
import { MasterConfig } from '../../src/config/master.config';
import { loadWorkerConfig, type WorkerConfig } from '../../src/config/worker.config';
import { migrate } from '../../src/database/migrate';

/** Real services the tests talk to; override with TEST_DATABASE_URL / TEST_REDIS_URL. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://molq:molq@127.0.0.1:5432/molq_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** One isolated world per test file: its own PostgreSQL schema and Redis key prefix. */
export interface TestWorld {
  id: string;
  env: Record<string, string>;
  master: MasterConfig;
  worker: WorkerConfig;
}

export function newWorld(overrides: Record<string, string> = {}): TestWorld {
  const id = randomBytes(5).toString('hex');
  const env: Record<string, string> = {
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: `t_${id}`,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: `molq-test-${id}`,
    JWT_SECRET: randomBytes(32).toString('hex'),
    URL_SIGNING_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    PORT: '0',
    STORAGE_DIR: join(tmpdir(), `molq-test-${id}`, 'objects'),
    WORK_DIR: join(tmpdir(), `molq-test-${id}`, 'work'),
    ...overrides,
  };
  return { id, env, master: loadConfig(MasterConfig, env), worker: loadWorkerConfig(env) };
}

/** Creates the world's schema and runs the migrations into it. */
export async function setUpWorld(world: TestWorld): Promise<void> {
  await migrate(world.master);
}

/** Drops the schema and every Redis key under the world's prefix. */
export async function tearDownWorld(world: TestWorld): Promise<void> {
  const pg = new Client({ connectionString: world.env.DATABASE_URL });
  await pg.connect();
  try {
    await pg.query(`DROP SCHEMA IF EXISTS "${world.env.DATABASE_SCHEMA}" CASCADE`);
  } finally {
    await pg.end();
  }
  await rm(join(world.env.STORAGE_DIR, '..'), { recursive: true, force: true });
  const redis = new Redis(world.env.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${world.env.REDIS_PREFIX}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // a test may have pointed the world at a Redis it already stopped
  } finally {
    redis.disconnect();
  }
}
