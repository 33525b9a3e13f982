import { InvalidConfigError, loadConfig } from './load-config';
import { MasterConfig } from './master.config';
import { WorkerConfig } from './worker.config';

const good = {
  DATABASE_URL: 'postgres://u:p@db:5432/molq',
  REDIS_URL: 'redis://redis:6379',
  JWT_SECRET: '3f9c2a71d8e04b56a1c7e9f20b4d6a83c5e7f9012b4d6e8a',
  URL_SIGNING_SECRET: 'b71e4c09a2f5d8e36c1a7b9f0e2d4c6a8b3e5f7a9c1d3e5f',
};

function problems(env: Record<string, string>, schema: new () => object = MasterConfig): string[] {
  try {
    loadConfig(schema, env);
  } catch (err) {
    if (err instanceof InvalidConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('returns a typed object with defaults and converted numbers', () => {
    const config = loadConfig(MasterConfig, { ...good, PORT: '8080', DATABASE_SSL: 'true' });
    expect(config.PORT).toBe(8080);
    expect(config.DATABASE_SSL).toBe(true);
    expect(config.REDIS_PREFIX).toBe('molq');
    expect(config.RECONCILE_INTERVAL_MS).toBe(30_000);
  });

  it('names a missing DATABASE_URL', () => {
    const { DATABASE_URL: _, ...env } = good;
    expect(problems(env)).toEqual([expect.stringMatching(/^DATABASE_URL: /)]);
  });

  it('names every bad variable at once', () => {
    const found = problems({ ...good, PORT: 'eighty', REDIS_URL: 'http://x', JWT_SECRET: 'short', LOG_LEVEL: 'loud' });
    expect(found.map((p) => p.split(':')[0]).sort()).toEqual(['JWT_SECRET', 'LOG_LEVEL', 'PORT', 'REDIS_URL']);
  });

  it('treats an empty variable as missing', () => {
    expect(problems({ ...good, DATABASE_URL: '' })[0]).toMatch(/^DATABASE_URL/);
  });

  it('has a worker schema that needs no JWT secret and checks the concurrency', () => {
    const { JWT_SECRET: _, ...env } = good;
    expect(loadConfig(WorkerConfig, { ...env, WORKER_CONCURRENCY: '4' }).WORKER_CONCURRENCY).toBe(4);
    expect(problems({ ...env, WORKER_CONCURRENCY: '0' }, WorkerConfig)[0]).toMatch(/^WORKER_CONCURRENCY/);
    expect(problems({ ...env, WORKER_QUEUES: 'md;qc' }, WorkerConfig)[0]).toMatch(/^WORKER_QUEUES/);
  });

  it('refuses a schema name that is not a plain identifier', () => {
    expect(problems({ ...good, DATABASE_SCHEMA: 'x"; drop table jobs; --' })[0]).toMatch(/^DATABASE_SCHEMA/);
  });

  it('needs the OSS settings only with STORAGE_DRIVER=oss, naming each missing one', () => {
    expect(problems({ ...good, STORAGE_DRIVER: 'local' })).toEqual([]);
    expect(
      problems({ ...good, STORAGE_DRIVER: 'oss' })
        .map((p) => p.split(':')[0])
        .sort(),
    ).toEqual(['OSS_ACCESS_KEY_ID', 'OSS_ACCESS_KEY_SECRET', 'OSS_BUCKET', 'OSS_ENDPOINT']);
    expect(problems({ ...good, STORAGE_DRIVER: 's3' })[0]).toMatch(/^STORAGE_DRIVER/);
  });
});
