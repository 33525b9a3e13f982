import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { CommonConfig } from '../config/common.config';
import { commandConnectionOptions } from './redis-options';
import { withTimeout } from '../common/with-timeout';

/**
 * The process's command connection to Redis (not for blocking calls). It fails fast while
 * Redis is down instead of queueing commands, and reconnects on its own.
 */
@Injectable()
export class RedisClient implements OnModuleInit, OnModuleDestroy {
  readonly redis: Redis;

  constructor(@Inject(CommonConfig) readonly config: CommonConfig) {
    this.redis = new Redis(commandConnectionOptions(config));
    this.redis.on('error', () => undefined); // state is reported by /health; avoid an unhandled 'error'
  }

  /** Gives the connection up to 3 s to come up at start; a Redis that is down does not stop the process. */
  async onModuleInit(): Promise<void> {
    if (this.redis.status === 'ready') return;
    await withTimeout(new Promise((resolve) => this.redis.once('ready', resolve)), 3_000, 'redis connect').catch(
      () => undefined,
    );
  }

  /** Resolves when Redis answers PING within timeoutMs. */
  async ping(timeoutMs = 1_000): Promise<void> {
    await withTimeout(this.redis.ping(), timeoutMs, 'redis PING');
  }

  async onModuleDestroy(): Promise<void> {
    this.redis.disconnect();
  }
}
