import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RedisClient } from '../redis/redis-client';

@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly client: RedisClient,
  ) {}

  async pingCheck(key: 'redis') {
    const indicator = this.health.check(key);
    try {
      await this.client.ping(1_000);
      return indicator.up();
    } catch (err) {
      return indicator.down({ message: (err as Error).message });
    }
  }
}
