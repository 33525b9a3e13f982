import { Inject, Injectable } from '@nestjs/common';
import { CommonConfig } from '../config/common.config';
import { RedisClient } from '../redis/redis-client';
import { parseLimits, type Limit } from './limits';
import { SlidingWindowLimiter } from './sliding-window-limiter';

/** The process's shared limiter, on its Redis connection, with the configured limits. */
@Injectable()
export class RateLimiter extends SlidingWindowLimiter {
  constructor(client: RedisClient, @Inject(CommonConfig) config: CommonConfig) {
    super(
      client.redis,
      config.REDIS_PREFIX,
      parseLimits(config.LIMITER_LIMITS, config.MAX_API_RPS) as Map<string, Limit>,
    );
  }
}
