import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { QueueEvents, UnrecoverableError, Worker, type Job } from 'bullmq';
import { QUEUES, RUN_QUEUES, type RunQueueName } from '../../queues';
import { MasterConfig } from '../config/master.config';
import { QueueProducer } from '../queueing/queue-producer';
import { redisOptions } from '../redis/redis-options';

export { RUN_QUEUES, type RunQueueName };

/** A lease that no longer holds: expired, or the job was leased again to someone else. */
export class LeaseLostError extends Error {}

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

  /** Renews a lease; throws LeaseLostError when the token no longer holds the job. */
  async renew(queue: RunQueueName, jobId: string, token: string): Promise<Job> {
    const job = await this.job(queue, jobId);
    if (!job) throw new LeaseLostError('the job is no longer leased');
    let renewed = 0;
    try {
      renewed = await job.extendLock(token, this.config.LEASE_MS);
    } catch {
      renewed = 0;
    }
    if (!renewed) throw new LeaseLostError('the lease expired or is held by another claim');
    return job;
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
