import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import type { Limit } from './limits';
import { SLIDING_WINDOW_LUA, WINDOW_USE_LUA } from './sliding-window.script';

export interface Acquisition {
  allowed: boolean;
  /** Refused: milliseconds until this cost can fit. Allowed: how long a reservation waits (0 = now). */
  retryAfterMs: number;
  /** Grants in the window after this call. */
  used: number;
  /** Redis server time of the decision, µs. */
  atUs: number;
}

export class UnknownLimitError extends Error {}

type ScriptClient = Redis & {
  molqSlidingWindow(
    zset: string,
    stats: string,
    audit: string,
    limit: number,
    windowUs: number,
    cost: number,
    id: string,
    name: string,
    maxWaitUs: number,
  ): Promise<[number, number, number, number]>;
  molqWindowUse(zset: string, windowUs: number): Promise<number>;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The shared cap on external calls: an exact sliding window per key, held in Redis and
 * clocked by Redis, so every worker process on every node shares it. One round trip per
 * acquire (EVALSHA).
 */
export class SlidingWindowLimiter {
  private readonly redis: ScriptClient;
  private readonly tag = randomBytes(6).toString('hex');
  private seq = 0;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    private readonly limits: ReadonlyMap<string, Limit>,
    /** Record every grant's Redis time in a list (benchmarks only). */
    private readonly audit = false,
  ) {
    if (!('molqSlidingWindow' in redis)) {
      redis.defineCommand('molqSlidingWindow', { numberOfKeys: 3, lua: SLIDING_WINDOW_LUA });
      redis.defineCommand('molqWindowUse', { numberOfKeys: 1, lua: WINDOW_USE_LUA });
    }
    this.redis = redis as ScriptClient;
  }

  keys(): string[] {
    return [...this.limits.keys()];
  }

  limitOf(key: string): Limit {
    const limit = this.limits.get(key);
    if (!limit) throw new UnknownLimitError(`no limit configured for "${key}" (LIMITER_LIMITS)`);
    return limit;
  }

  zsetKey(key: string): string {
    return `${this.prefix}:limiter:${key}`;
  }

  auditKey(key: string): string {
    return `${this.prefix}:limiter-audit:${key}`;
  }

  /** Takes `cost` grants now if they fit, else says how long until they would (nothing is reserved). */
  async acquire(key: string, cost = 1): Promise<Acquisition> {
    const result = await this.call(key, cost, 0);
    return { ...result, retryAfterMs: result.allowed ? 0 : result.retryAfterMs };
  }

  /**
   * Reserves `cost` grants at the earliest time they fit (one round trip) and waits until
   * then; reservations longer than `maxWaitMs` are not made, the caller waits and asks again.
   */
  async take(key: string, cost = 1, signal?: AbortSignal, maxWaitMs = 5_000): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      const result = await this.reserve(key, cost, maxWaitMs);
      if (result.retryAfterMs > 0) await sleep(result.retryAfterMs);
      if (result.allowed) return;
    }
  }

  /** One reservation call: allowed with the wait until the grant time, or refused (wait longer than maxWaitMs). */
  reserve(key: string, cost = 1, maxWaitMs = 5_000): Promise<Acquisition> {
    return this.call(key, cost, maxWaitMs * 1_000);
  }

  private async call(key: string, cost: number, maxWaitUs: number): Promise<Acquisition> {
    const { limit, windowMs } = this.limitOf(key);
    if (!Number.isInteger(cost) || cost < 1) throw new RangeError('cost must be a positive integer');
    const [allowed, waitUs, used, atUs] = await this.redis.molqSlidingWindow(
      this.zsetKey(key),
      `${this.prefix}:limiter-stats`,
      this.audit ? this.auditKey(key) : '',
      limit,
      windowMs * 1_000,
      cost,
      `${this.tag}:${++this.seq}`,
      key,
      maxWaitUs,
    );
    if (waitUs < 0) throw new RangeError(`cost ${cost} exceeds the limit of ${limit} for "${key}"`);
    return {
      allowed: allowed === 1,
      retryAfterMs: waitUs === 0 ? 0 : Math.max(1, Math.ceil(waitUs / 1_000)),
      used,
      atUs,
    };
  }

  /** Grants in the current window, for operators. */
  async windowUse(key: string): Promise<{ key: string; used: number } & Limit> {
    const limit = this.limitOf(key);
    const used = await this.redis.molqWindowUse(this.zsetKey(key), limit.windowMs * 1_000);
    return { key, used, ...limit };
  }

  /** Granted and refused totals per key since the stats hash was created. */
  async stats(): Promise<Record<string, { granted: number; refused: number }>> {
    const raw = await this.redis.hgetall(`${this.prefix}:limiter-stats`);
    const out: Record<string, { granted: number; refused: number }> = {};
    for (const [field, value] of Object.entries(raw)) {
      const cut = field.lastIndexOf(':');
      const key = field.slice(0, cut);
      const kind = field.slice(cut + 1) as 'granted' | 'refused';
      out[key] ??= { granted: 0, refused: 0 };
      out[key][kind] = Number(value);
    }
    return out;
  }
}
