import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { QueueEvents, UnrecoverableError, Worker, type Job } from 'bullmq';
import { QUEUES, RUN_QUEUES, type RunQueueName } from '../../queues';
import { ServiceUnavailableError } from '../common/unavailable';
import { MasterConfig } from '../config/master.config';
import { QueueProducer } from '../queueing/queue-producer';
import { redisOptions } from '../redis/redis-options';

export { RUN_QUEUES, type RunQueueName };

/** A lease that no longer holds: expired, or the job was leased again to someone else. */
export class LeaseLostError extends Error {}

/**
 * Redis failed (a connection blip, a command timed out, an error reply) on every try of a renewal for
 * RENEW_PATIENCE_MS: whether the lease holds is not known, so the caller answers 503 and the bridge
 * keeps its job and heartbeats again. Never a lost lease: that would drop a job still running on Slurm.
 */
export class LeaseUnavailableError extends ServiceUnavailableError {}

/** How long a renewal tries Redis again, backing off from 100 ms to 1 s (and at most a quarter of LEASE_MS). */
export const RENEW_PATIENCE_MS = 5_000;
const RENEW_BACKOFF_MS = [100, 200, 400, 800, 1_000];

/**
 * Leases on md/qc jobs for remote bridges, on BullMQ's manual processing: a claim is
 * getNextJob with the lease token as lock token (the job shows as active in Bull Board), a
 * heartbeat is extendLock, the end is moveToCompleted/moveToFailed. A lease not renewed
 * within LEASE_MS lapses and BullMQ's stalled check puts the job back in its queue.
 */
@Injectable()
export class LeaseBroker implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LeaseBroker.name);
  private readonly workers = new Map<RunQueueName, Worker>();
  private readonly events: QueueEvents[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(
    @Inject(MasterConfig) private readonly config: MasterConfig,
    private readonly producer: QueueProducer,
  ) {}

  async onModuleInit(): Promise<void> {
    const connection = redisOptions(this.config, { maxRetriesPerRequest: null });
    for (const queue of RUN_QUEUES) {
      const worker = new Worker(queue, null, {
        connection,
        prefix: this.config.REDIS_PREFIX,
        autorun: false,
        lockDuration: this.config.LEASE_MS,
        stalledInterval: this.config.LEASE_CHECK_MS,
        maxStalledCount: QUEUES[queue].worker.maxStalledCount,
      });
      worker.on('error', (err) => this.logger.warn(`lease worker ${queue}: ${err.message}`));
      void worker.startStalledCheckTimer().catch((err) => this.logger.warn(`stalled checker ${queue}: ${err.message}`));
      this.workers.set(queue, worker);
      const events = new QueueEvents(queue, { connection, prefix: this.config.REDIS_PREFIX });
      events.on('error', () => undefined);
      for (const e of ['waiting', 'added', 'stalled', 'priority'] as const)
        events.on(e as 'waiting', () => this.wake());
      this.events.push(events);
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.wake();
    await Promise.allSettled([...this.workers.values()].map((w) => w.close(true)));
    await Promise.allSettled(this.events.map((e) => e.close()));
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  /**
   * Leases up to `max` jobs from the queues in order, waiting up to `waitMs` for the first one;
   * answers as soon as one arrives. `token` is the lease token of every job leased.
   */
  async claim(
    queues: RunQueueName[],
    max: number,
    token: string,
    waitMs: number,
    closed: () => boolean,
  ): Promise<Job[]> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const jobs: Job[] = [];
      for (const queue of queues) {
        while (jobs.length < max) {
          const job = await this.workers.get(queue)!.getNextJob(token, { block: false });
          if (!job) break;
          jobs.push(job);
        }
      }
      if (jobs.length > 0 || Date.now() >= deadline || closed()) return jobs;
      await this.nextArrival(Math.min(1_000, deadline - Date.now()));
    }
  }

  private nextArrival(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  job(queue: RunQueueName, jobId: string): Promise<Job | undefined> {
    return this.producer.queue(queue).getJob(jobId);
  }

  /**
   * Renews a lease; throws LeaseLostError only when Redis answered that the token no longer holds the
   * job (no entry, or extendLock said 0). A Redis error is tried again with backoff for up to
   * RENEW_PATIENCE_MS, then thrown as LeaseUnavailableError (a 503).
   */
  async renew(queue: RunQueueName, jobId: string, token: string): Promise<Job> {
    const deadline = Date.now() + Math.min(RENEW_PATIENCE_MS, this.config.LEASE_MS / 4);
    for (let attempt = 0; ; attempt++) {
      let answer: Job | 'gone' | 'lost';
      try {
        const job = await this.job(queue, jobId);
        answer = !job ? 'gone' : (await job.extendLock(token, this.config.LEASE_MS)) ? job : 'lost';
      } catch (err) {
        const wait = Math.min(RENEW_BACKOFF_MS[Math.min(attempt, RENEW_BACKOFF_MS.length - 1)], deadline - Date.now());
        if (wait <= 0) {
          const message = `the queue (Redis) failed while renewing the lease of ${jobId}: ${(err as Error).message}`;
          throw new LeaseUnavailableError(message, { cause: err });
        }
        if (attempt === 0) this.logger.warn(`renewing ${jobId}: ${(err as Error).message}; trying again`);
        await new Promise((r) => setTimeout(r, wait));
        continue;
      }
      if (answer === 'gone') throw new LeaseLostError('the job is no longer leased');
      if (answer === 'lost') throw new LeaseLostError('the lease expired or is held by another claim');
      return answer;
    }
  }

  async complete(queue: RunQueueName, jobId: string, token: string, result: unknown): Promise<void> {
    const job = await this.renew(queue, jobId, token);
    await job.moveToCompleted(result, token, false);
  }

  /** Ends a lease with a failure: retried by BullMQ's attempts/backoff unless not retryable. Returns whether it will retry. */
  async fail(queue: RunQueueName, jobId: string, token: string, message: string, retryable: boolean): Promise<boolean> {
    const job = await this.renew(queue, jobId, token);
    await job.moveToFailed(retryable ? new Error(message) : new UnrecoverableError(message), token, false);
    const state = await job.getState();
    return state !== 'failed';
  }

  /** Gives a leased job back to its queue at once (a claim whose caller went away). */
  async release(job: Job, token: string): Promise<void> {
    await job.moveToWait(token).catch(() => undefined);
  }
}
