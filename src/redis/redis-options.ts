import type { RedisOptions } from 'ioredis';
import type { CommonConfig } from '../config/common.config';

/** ioredis options from REDIS_URL (redis:// or rediss:// for TLS), or a Sentinel group (REDIS_SENTINELS). */
export function redisOptions(config: CommonConfig, overrides: RedisOptions = {}): RedisOptions {
  const url = new URL(config.REDIS_URL);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  const where = config.REDIS_SENTINELS
    ? {
        sentinels: config.REDIS_SENTINELS.split(',').map((hp) => ({
          host: hp.slice(0, hp.lastIndexOf(':')),
          port: Number(hp.slice(hp.lastIndexOf(':') + 1)),
        })),
        name: config.REDIS_SENTINEL_NAME,
        sentinelPassword: url.password ? decodeURIComponent(url.password) : undefined,
        enableTLSForSentinelMode: url.protocol === 'rediss:',
      }
    : { host: url.hostname, port: url.port ? Number(url.port) : 6379 };
  return {
    ...where,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    ...overrides,
  };
}

/** A command that gets no answer within this long fails (Redis alive but stuck): no caller waits unbounded. */
export const REDIS_COMMAND_TIMEOUT_MS = 5_000;

/**
 * Options for a connection that sends only short commands (never blocking ones: BullMQ workers
 * keep their own connections, bounded by BullMQ's block timeout): fails fast while Redis is down
 * instead of queueing, and gives up on a command that hangs.
 */
export function commandConnectionOptions(config: CommonConfig): RedisOptions {
  return redisOptions(config, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  });
}
