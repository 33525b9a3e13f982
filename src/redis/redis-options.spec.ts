import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { loadConfig } from '../config/load-config';
import { CommonConfig } from '../config/common.config';
import { REDIS_COMMAND_TIMEOUT_MS, commandConnectionOptions, redisOptions } from './redis-options';

const base = { DATABASE_URL: 'postgres://db/x' };
const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('redisOptions', () => {
  it('reads host, port, password, database and TLS from REDIS_URL', () => {
    const options = redisOptions(
      loadConfig(CommonConfig, { ...base, REDIS_URL: 'rediss://:s%40cret@redis.example:6380/2' }),
    );
    expect(options).toMatchObject({ host: 'redis.example', port: 6380, password: 's@cret', db: 2, tls: {} });
  });

  it('a command connection gives up on a Redis that accepts but never answers (stopped with SIGSTOP)', async () => {
    const port = 27_000 + Math.floor(Math.random() * 1_000);
    const server: ChildProcess = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const redis = new Redis(
      commandConnectionOptions(loadConfig(CommonConfig, { ...base, REDIS_URL: `redis://127.0.0.1:${port}` })),
    );
    redis.on('error', () => undefined);
    try {
      for (let i = 0; redis.status !== 'ready'; i++) {
        if (i > 100) throw new Error('redis-server did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
      await redis.ping();
      server.kill('SIGSTOP');
      const started = Date.now();
      await expect(redis.set('k', 'v')).rejects.toThrow(/Command timed out/);
      const waited = Date.now() - started;
      expect(waited).toBeGreaterThanOrEqual(REDIS_COMMAND_TIMEOUT_MS - 100);
      expect(waited).toBeLessThan(REDIS_COMMAND_TIMEOUT_MS * 3);
    } finally {
      redis.disconnect();
      server.kill('SIGCONT');
      server.kill('SIGKILL');
    }
  });

  it('refuses a malformed sentinel list, naming the variable', () => {
    expect(() => loadConfig(CommonConfig, { ...base, REDIS_URL: 'redis://x', REDIS_SENTINELS: 'a:1,b' })).toThrow(
      /REDIS_SENTINELS: must be host:port/,
    );
  });

  it('connects through a real Redis Sentinel to the group it names', async () => {
    const url = new URL(TEST_REDIS_URL);
    const dir = mkdtempSync(join(tmpdir(), 'molq-sentinel-'));
    const port = 26_000 + Math.floor(Math.random() * 1_000);
    writeFileSync(
      join(dir, 'sentinel.conf'),
      `port ${port}\nbind 127.0.0.1\ndir ${dir}\nsentinel monitor molqtest ${url.hostname} ${url.port || 6379} 1\n`,
    );
    const sentinel: ChildProcess = spawn('redis-server', [join(dir, 'sentinel.conf'), '--sentinel'], {
      stdio: 'ignore',
    });
    const config = loadConfig(CommonConfig, {
      ...base,
      REDIS_URL: 'redis://ignored-host:1',
      REDIS_SENTINELS: `127.0.0.1:${port}`,
      REDIS_SENTINEL_NAME: 'molqtest',
    });
    const redis = new Redis(redisOptions(config, { lazyConnect: true, retryStrategy: (n) => (n > 50 ? null : 100) }));
    try {
      await redis.connect();
      expect(await redis.ping()).toBe('PONG');
      expect(redis.options.sentinels).toEqual([{ host: '127.0.0.1', port }]);
    } finally {
      await redis.quit().catch(() => redis.disconnect());
      sentinel.kill();
      await new Promise((r) => sentinel.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
