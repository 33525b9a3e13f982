import { isUnavailable } from '../src/common/unavailable';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import { QUEUES, parsePayload, type QueueName, type QueuePayloads } from '../queues';
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
 * up to OUTAGE_PATIENCE_MS), so its jobs move on within seconds of the service's return. A stage
 * that fails for good settles its job (the handler's onFinalFailure) inside the processing path,
 * awaited, before BullMQ records the entry failed: never from an event listener, where a failure to
 * settle it (or a payload that fails its schema) would be lost.
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
      // the job's row was settled in process() before BullMQ recorded this: the event is only logged
      worker.on('failed', (job, err) =>
        this.logger.warn(`${queue} job ${job?.id} failed (attempt ${job?.attemptsMade}): ${err.message}`),
      );
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
    const payload = await this.payloadOf(queue, handler, job);
    const key = `${queue}:${job.id}`;
    this.active.set(key, { job, token });
    try {
      const result = await handler.handle(payload, context);
      this.outages.clear(key);
      return result;
    } catch (err) {
      if (err instanceof RecordedFailure || !isUnavailable(err) || context.signal.aborted) {
        this.outages.clear(key);
        // aborted: the pool is stopping and handed the entry back (moveToWait), so nothing failed
        if (!context.signal.aborted) await this.settleIfFinal(queue, handler, context, payload, asError(err));
        throw err;
      }
      const first = !this.outages.waiting(key);
      const delayMs = this.outages.defer(key);
      if (delayMs === undefined) {
        // deferred for too long: this failure counts. PostgreSQL, Redis or storage away is not the job's
        // fault: on its last attempt the row keeps its status and the reconciler gives it a fresh entry.
        if (isFinal(job, asError(err)))
          this.logger.warn(`${key}: gave up while a service was away; left for the reconciler`);
        throw err;
      }
      if (first) this.logger.warn(`${key}: ${(err as Error).message}; trying again every ~1.5 s, no attempt spent`);
      await job.moveToDelayed(Date.now() + delayMs, token);
      throw new DelayedError();
    } finally {
      this.active.delete(key);
    }
  }

  /**
   * The entry's payload checked against its queue's schema. One that fails it can never succeed: its
   * entry fails at once (UnrecoverableError) and, when its data names a molq job (a UUID v4 `jobId`),
   * that job ends FAILED through the handler with the schema's complaint as its reason. A payload
   * naming no job fails its entry only: there is no row to settle.
   */
  private async payloadOf(queue: QueueName, handler: QueueHandler, job: Job): Promise<QueuePayloads[QueueName]> {
    try {
      return parsePayload(queue, job.data);
    } catch (thrown) {
      const err = thrown instanceof UnrecoverableError ? thrown : new UnrecoverableError(`invalid ${queue} payload`);
      const jobId = (job.data as { jobId?: unknown } | null | undefined)?.jobId;
      let named: QueuePayloads[QueueName] | undefined;
      try {
        named = parsePayload(queue, { jobId });
      } catch {
        this.logger.warn(`${queue} entry ${job.id}: ${err.message}; it names no job, so only the entry fails`);
      }
      if (named) await this.finalFailure(queue, handler, job, named, err);
      throw err;
    }
  }

  /**
   * A stage failed for good (unrecoverable, or its last attempt; not a service outage, a delay or a
   * rate limit, not a failure the job's row holds already): the job is settled here, awaited, before
   * the error reaches BullMQ, so the row is FAILED by the time the entry is.
   */
  private async settleIfFinal(
    queue: QueueName,
    handler: QueueHandler,
    { job, token, worker }: JobContext,
    payload: QueuePayloads[QueueName],
    err: Error,
  ): Promise<void> {
    if (err instanceof RecordedFailure || err instanceof DelayedError || err.name === 'RateLimitError') return;
    if (!isFinal(job, err)) return;
    // the lock lost (the entry stalled and is another worker's now): BullMQ will not fail it, nor may we
    const lock = await (await worker.client).get(worker.toKey(`${job.id}:lock`)).catch(() => token);
    if (lock !== token) return;
    await this.finalFailure(queue, handler, job, payload, err);
  }

  /** onFinalFailure, awaited; its own failure is logged (the row keeps its status: the reconciler re-adds the entry). */
  private async finalFailure(
    queue: QueueName,
    handler: QueueHandler,
    job: Job,
    payload: QueuePayloads[QueueName],
    err: Error,
  ): Promise<void> {
    if (!handler.onFinalFailure) return;
    try {
      await handler.onFinalFailure(payload, err);
    } catch (e) {
      this.logger.error(
        `${queue} job ${job.id}: could not record its failure (${err.message}): ${(e as Error).message}`,
      );
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

/** Whether this failure is the entry's last: unrecoverable, or no attempt left after it. */
function isFinal(job: Job, err: Error): boolean {
  return err.name === 'UnrecoverableError' || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
