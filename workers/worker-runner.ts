import { isUnavailable } from '../src/common/unavailable';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DelayedError, Job, Worker } from 'bullmq';
import { QUEUES, parsePayload, type QueueName } from '../queues';
import { WorkerConfig } from '../src/config/worker.config';
import { redisOptions } from '../src/redis/redis-options';
import { OutageDeferrals } from './outage-deferrals';
import {
  QUEUE_HANDLERS,
  RecordedFailure,
  WORKER_PLAN,
  type JobContext,
  type QueueHandler,
  type WorkerPlan,
} from './queue-handler';

/** A wiring mistake (a queue with no processor, or two) stops the pool at boot. */
export class HandlerWiringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HandlerWiringError';
  }
}

interface ActiveJob {
  job: Job;
  token: string;
}

/**
 * Runs one BullMQ Worker per consumed queue and shuts them down without losing a job:
 * on stop it takes no new work, lets running jobs finish for the grace period, then hands
 * the rest back to their queue (moveToWait) and aborts their processors. A stage that fails because
 * PostgreSQL, Redis or storage is away is tried again every ~1.5 s without spending an attempt (for
 * up to OUTAGE_PATIENCE_MS), so its jobs move on within seconds of the service's return.
 */
@Injectable()
export class WorkerRunner {
  private readonly logger = new Logger(WorkerRunner.name);
  private readonly workers: Worker[] = [];
  private readonly active = new Map<string, ActiveJob>();
  private readonly outages = new OutageDeferrals();

  constructor(
    @Inject(QUEUE_HANDLERS) private readonly handlers: QueueHandler[],
    @Inject(WORKER_PLAN) private readonly plan: WorkerPlan,
    @Inject(WorkerConfig) private readonly config: WorkerConfig,
  ) {}

  /** Checks the wiring and starts consuming. */
  async start(): Promise<void> {
    const byQueue = this.handlersByQueue();
    const connection = redisOptions(this.config, { maxRetriesPerRequest: null });
    for (const queue of this.plan.queues) {
      const handler = byQueue.get(queue)!;
      const defaults = QUEUES[queue].worker;
      const worker: Worker = new Worker(
        queue,
        (job, token, signal) => this.process(queue, handler, { job, token: token!, signal: signal!, worker }),
        {
          connection,
          prefix: this.config.REDIS_PREFIX,
          concurrency: this.plan.concurrency ?? defaults.concurrency,
          lockDuration: defaults.lockDuration,
          stalledInterval: defaults.stalledInterval,
          maxStalledCount: defaults.maxStalledCount,
        },
      );
      worker.on('error', (err) => this.logger.error(`worker ${queue}: ${err.message}`));
      worker.on('failed', (job, err) => {
        this.logger.warn(`${queue} job ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`);
        if (err instanceof RecordedFailure) return; // the job's own failure, on its row already
        const final = job && (err.name === 'UnrecoverableError' || job.attemptsMade >= (job.opts.attempts ?? 1));
        if (final && isUnavailable(err)) {
          // PostgreSQL, Redis or storage were away: not the job's fault. Its row keeps its status and
          // the reconciler gives it a fresh entry (fresh attempts) once they are back.
          this.logger.warn(`${queue} job ${job?.id}: gave up while a service was away; left for the reconciler`);
        } else if (final && handler.onFinalFailure && err.name !== 'RateLimitError') {
          void handler
            .onFinalFailure(parsePayload(queue, job.data), err)
            .catch((e) => this.logger.error(`${queue} job ${job.id}: ${(e as Error).message}`));
        }
      });
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
    this.logger.log(`consuming ${this.plan.queues.join(', ')}`);
  }

  /** Graceful stop; resolves when every worker is closed or the job was handed back. */
  async stop(graceMs: number): Promise<void> {
    const closing = Promise.all(this.workers.map((w) => w.close()));
    const finished = await Promise.race([closing.then(() => true), delay(graceMs).then(() => false)]);
    if (finished) return;
    this.logger.warn(`grace period over with ${this.active.size} job(s) running: handing them back to their queues`);
    await Promise.allSettled([...this.active.values()].map(({ job, token }) => job.moveToWait(token)));
    for (const w of this.workers) w.cancelAllJobs('worker shutting down');
    await Promise.race([closing, delay(2_000)]);
  }

  private async process(queue: QueueName, handler: QueueHandler, context: JobContext): Promise<unknown> {
    const { job, token } = context;
    const payload = parsePayload(queue, job.data);
    const key = `${queue}:${job.id}`;
    this.active.set(key, { job, token });
    try {
      const result = await handler.handle(payload, context);
      this.outages.clear(key);
      return result;
    } catch (err) {
      if (err instanceof RecordedFailure || !isUnavailable(err) || context.signal.aborted) {
        this.outages.clear(key);
        throw err;
      }
      const first = !this.outages.waiting(key);
      const delayMs = this.outages.defer(key);
      if (delayMs === undefined) throw err; // deferred for too long: this failure counts
      if (first) this.logger.warn(`${key}: ${(err as Error).message}; trying again every ~1.5 s, no attempt spent`);
      await job.moveToDelayed(Date.now() + delayMs, token);
      throw new DelayedError();
    } finally {
      this.active.delete(key);
    }
  }

  private handlersByQueue(): Map<QueueName, QueueHandler> {
    const map = new Map<QueueName, QueueHandler>();
    for (const h of this.handlers) {
      if (map.has(h.queue)) throw new HandlerWiringError(`queue ${h.queue} has two processors`);
      map.set(h.queue, h);
    }
    const missing = this.plan.queues.filter((q) => !map.has(q));
    if (missing.length > 0) throw new HandlerWiringError(`no processor for queue(s): ${missing.join(', ')}`);
    return map;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
