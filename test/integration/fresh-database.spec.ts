import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { loadConfig } from '../../src/config/load-config';
import { CommonConfig } from '../../src/config/common.config';
import { MIGRATIONS } from '../../src/database/data-source-options';
import { migrate } from '../../src/database/migrate';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from '../support/test-config';

// A machine whose PostgreSQL has never seen molq: many processes start at once and each creates
// the database and migrates. Seen before: duplicate-key failures on 9 of 24 starters.

const name = `molq_fresh_${randomBytes(4).toString('hex')}`;
const url = (() => {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `/${name}`;
  return u.toString();
})();
const config = (schema: string) =>
  loadConfig(CommonConfig, { DATABASE_URL: url, DATABASE_SCHEMA: schema, REDIS_URL: TEST_REDIS_URL });

async function admin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = '/postgres';
  const c = new Client({ connectionString: u.toString() });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

afterAll(() => admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));

describe('a fresh database, many starters at once', () => {
  it('12 processes migrating one schema of a database that does not exist: all succeed, the migrations run exactly once', async () => {
    expect((await admin((c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]))).rowCount).toBe(0);
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => migrate(config('molq'))));
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)),
    ).toEqual([]);
    const ran = results.map((r) => (r as PromiseFulfilledResult<string[]>).value);
    expect(ran.filter((names) => names.length > 0)).toEqual([MIGRATIONS.map((m) => new m().name)]);
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      expect((await c.query('SELECT count(*)::int AS n FROM molq.migrations')).rows[0].n).toBe(MIGRATIONS.length);
    } finally {
      await c.end();
    }
  });

  it('8 schemas migrated at once in that database (as parallel test files do) all succeed', async () => {
    const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => migrate(config(`s_${i}`))));
    expect(
      results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)),
    ).toEqual([]);
  });
});
