import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { MasterConfig } from '../config/master.config';
import { RedisClient } from '../redis/redis-client';

/**
 * Counts login attempts per account and per client address in a fixed window in Redis (a success
 * gives its attempt back); past either limit the caller gets 429 with Retry-After. If Redis is down, logins are not
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

  /**
   * Counts this attempt against the account and the address first (one atomic MULTI), then throws
   * 429 when either is past its limit: parallel attempts cannot all slip past the check to the hash.
   */
  async take(email: string, address: string): Promise<void> {
    const [acct, addr] = this.keys(email, address);
    const window = this.config.LOGIN_WINDOW_SECONDS;
    let counts: number[];
    try {
      const replies = await this.client.redis
        .multi()
        .incr(acct)
        .expire(acct, window, 'NX')
        .incr(addr)
        .expire(addr, window, 'NX')
        .exec();
      counts = [Number(replies?.[0]?.[1] ?? 0), Number(replies?.[2]?.[1] ?? 0)];
    } catch (err) {
      this.logger.warn(`login throttle unavailable: ${(err as Error).message}`);
      return;
    }
    const overAccount = counts[0] > this.config.LOGIN_MAX_PER_ACCOUNT;
    const overAddress = counts[1] > this.config.LOGIN_MAX_PER_ADDRESS;
    if (!overAccount && !overAddress) return;
    const ttl = Math.max(1, await this.client.redis.ttl(overAccount ? acct : addr).catch(() => window));
    throw new HttpException(
      {
        statusCode: 429,
        message: `too many failed logins for this ${overAccount ? 'account' : 'address'}; retry in ${ttl} s`,
        retryAfter: ttl,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }

  /** A successful login: the account starts afresh and the attempt no longer counts against the address. */
  async reset(email: string, address: string): Promise<void> {
    const [acct, addr] = this.keys(email, address);
    await this.client.redis
      .multi()
      .del(acct)
      .decr(addr)
      .exec()
      .catch(() => undefined);
  }
}
