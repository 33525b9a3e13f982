import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { MasterConfig } from '../config/master.config';
import { RedisClient } from '../redis/redis-client';

/**
 * Counts failed logins per account and per client address in a fixed window in Redis; past
 * either limit the caller gets 429 with Retry-After. If Redis is down, logins are not
 * throttled (logged) rather than refused for everyone.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);

  constructor(
    private readonly client: RedisClient,
    @Inject(MasterConfig) private readonly config: MasterConfig,
  ) {}

  private keys(email: string, address: string): [string, string] {
    const p = this.config.REDIS_PREFIX;
    const digest = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);
    return [`${p}:login:acct:${digest(email)}`, `${p}:login:addr:${digest(address)}`];
  }

  /** Throws 429 when the account or the address has used up its failures. */
  async check(email: string, address: string): Promise<void> {
    const [acct, addr] = this.keys(email, address);
    try {
      const [a, b] = await this.client.redis.mget(acct, addr);
      const overAccount = Number(a ?? 0) >= this.config.LOGIN_MAX_PER_ACCOUNT;
      const overAddress = Number(b ?? 0) >= this.config.LOGIN_MAX_PER_ADDRESS;
      if (!overAccount && !overAddress) return;
      const ttl = Math.max(1, await this.client.redis.ttl(overAccount ? acct : addr));
      throw new HttpException(
        { statusCode: 429, message: `too many failed logins for this ${overAccount ? 'account' : 'address'}; retry in ${ttl} s`, retryAfter: ttl },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    } catch (err) {
      if (err instanceof HttpException) throw err;
      this.logger.warn(`login throttle unavailable: ${(err as Error).message}`);
    }
  }

  async recordFailure(email: string, address: string): Promise<void> {
    const window = this.config.LOGIN_WINDOW_SECONDS;
    try {
      const multi = this.client.redis.multi();
      for (const key of this.keys(email, address)) multi.incr(key).expire(key, window, 'NX');
      await multi.exec();
    } catch (err) {
      this.logger.warn(`login throttle unavailable: ${(err as Error).message}`);
    }
  }

  async reset(email: string, address: string): Promise<void> {
    await this.client.redis.del(this.keys(email, address)[0]).catch(() => undefined);
  }
}
