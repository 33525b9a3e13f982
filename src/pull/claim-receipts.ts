import { Inject, Injectable } from '@nestjs/common';
import { MasterConfig } from '../config/master.config';
import { RedisClient } from '../redis/redis-client';
import type { RunQueueName } from './lease-broker';

export interface Receipt {
  queue: RunQueueName;
  jobId: string;
}

/**
 * What each claim handed out, kept for as long as its leases last: a bridge whose answer was
 * lost on the way (network cut, bridge killed mid-read) asks again with the same claim id and
 * gets the same jobs back, instead of their waiting out LEASE_MS while nobody runs them.
 */
@Injectable()
export class ClaimReceipts {
  constructor(
    private readonly redis: RedisClient,
    @Inject(MasterConfig) private readonly config: MasterConfig,
  ) {}

  private key(tokenId: string, claimId: string): string {
    return `${this.config.REDIS_PREFIX}:claims:${tokenId}:${claimId}`;
  }

  async record(tokenId: string, claimId: string, receipts: Receipt[]): Promise<void> {
    if (receipts.length === 0) return;
    const key = this.key(tokenId, claimId);
    await this.redis.redis
      .multi()
      .sadd(key, ...receipts.map((r) => `${r.queue}/${r.jobId}`))
      .pexpire(key, this.config.LEASE_MS)
      .exec();
  }

  async read(tokenId: string, claimId: string): Promise<Receipt[]> {
    const members = await this.redis.redis.smembers(this.key(tokenId, claimId));
    return members.map((m) => {
      const [queue, jobId] = m.split('/');
      return { queue: queue as RunQueueName, jobId };
    });
  }
}
