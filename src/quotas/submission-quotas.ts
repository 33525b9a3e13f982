import { Inject, Injectable, Logger } from '@nestjs/common';
import { MasterConfig } from '../config/master.config';
import type { ResourcesSpec } from '../jobs/job-spec';
import { JobStatus } from '../jobs/job-status';
import { JobStore } from '../jobs/job-store';
import { RedisClient } from '../redis/redis-client';
import { QuotaExceeded } from './quota-exceeded';

/**
 * KEYS[1] the counter; ARGV[1] amount, ARGV[2] limit, ARGV[3] ttl seconds.
 * Adds the amount unless that would pass the limit; returns {1, new} or {0, current}. Atomic, so
 * parallel submissions cannot all slip under the limit.
 */
const ADD_WITHIN_LIMIT = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if current + tonumber(ARGV[1]) > tonumber(ARGV[2]) then return {0, tostring(current)} end
local now = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {1, tostring(now)}`;

const HOUR = 3_600;
const DAY = 86_400;

/**
 * Per-user limits checked when jobs are submitted (429 naming the limit): jobs waiting to run
 * (QUOTA_QUEUED_JOBS, counted in PostgreSQL), core-hours asked for per UTC day
 * (QUOTA_CORE_HOURS_PER_DAY: tasks × walltime) and bulk batches per UTC hour
 * (QUOTA_BATCHES_PER_HOUR), both counted atomically in Redis. If Redis is down the two
 * counters are not enforced (logged), as the login throttle does; the queued count always is.
 */
@Injectable()
export class SubmissionQuotas {
  private readonly logger = new Logger(SubmissionQuotas.name);

  constructor(
    private readonly jobs: JobStore,
    private readonly client: RedisClient,
    @Inject(MasterConfig) private readonly config: MasterConfig,
  ) {}

  /** Takes `resources` of `jobs.length` new jobs (one bulk batch when `batch`) from the owner's quotas, or throws 429. */
  async take(ownerId: string, resources: ResourcesSpec[], batch: boolean): Promise<void> {
    const waiting = await this.jobs.ownerCount(ownerId, [JobStatus.Pending, JobStatus.Queued]);
    if (waiting + resources.length > this.config.QUOTA_QUEUED_JOBS) {
      throw new QuotaExceeded(
        `${waiting} of your jobs wait to run and ${resources.length} more would pass the limit of ${this.config.QUOTA_QUEUED_JOBS} (QUOTA_QUEUED_JOBS); wait until some have started`,
      );
    }
    const now = Math.floor(Date.now() / 1_000);
    if (batch)
      await this.add(
        `batches:${ownerId}:${Math.floor(now / HOUR)}`,
        1,
        this.config.QUOTA_BATCHES_PER_HOUR,
        HOUR - (now % HOUR),
        (used) =>
          `${used} bulk batches this hour: the limit is ${this.config.QUOTA_BATCHES_PER_HOUR} (QUOTA_BATCHES_PER_HOUR)`,
      );
    const coreHours = resources.reduce((sum, r) => sum + (r.tasks * r.walltimeMinutes) / 60, 0);
    await this.add(
      `core-hours:${ownerId}:${Math.floor(now / DAY)}`,
      coreHours,
      this.config.QUOTA_CORE_HOURS_PER_DAY,
      DAY - (now % DAY),
      (used) =>
        `${Math.round(used * 10) / 10} core-hours asked for today and ${Math.round(coreHours * 10) / 10} more would pass the limit of ${this.config.QUOTA_CORE_HOURS_PER_DAY} (QUOTA_CORE_HOURS_PER_DAY: tasks × walltime)`,
    );
  }

  private async add(
    key: string,
    amount: number,
    limit: number,
    resetIn: number,
    say: (used: number) => string,
  ): Promise<void> {
    let reply: [number, string];
    try {
      reply = (await this.client.redis.eval(
        ADD_WITHIN_LIMIT,
        1,
        `${this.config.REDIS_PREFIX}:quota:${key}`,
        String(amount),
        String(limit),
        String(resetIn + 60),
      )) as [number, string];
    } catch (err) {
      this.logger.warn(`quota counter unavailable: ${(err as Error).message}`);
      return;
    }
    if (reply[0] === 0) throw new QuotaExceeded(`${say(Number(reply[1]))}; resets in ${resetIn} s`, resetIn);
  }
}
