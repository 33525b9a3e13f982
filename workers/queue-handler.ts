import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import type { QueueName, QueuePayloads } from '../queues';

/** What a processor gets besides its payload. */
export interface JobContext {
  job: Job;
  token: string;
  /** The BullMQ worker running the job (for its rate-limit mechanism). */
  worker: Worker;
  /** Aborted when the job is cancelled or the worker shuts down past its grace period. */
  signal: AbortSignal;
}

/**
 * A thin processor: validates nothing itself (the runner did), hands the payload to services and
 * keeps only BullMQ's own mechanics (progress, a delay back to the queue).
 */
export interface QueueHandler<N extends QueueName = QueueName> {
  readonly queue: N;
  handle(payload: QueuePayloads[N], context: JobContext): Promise<unknown>;
  /**
   * Called once when a job has failed for good (no attempts left, or unrecoverable), awaited before its
   * entry is failed; for an entry whose payload failed its schema, with `{jobId}` alone when its data
   * names a job (the error says what was wrong). Not for a service outage, nor a RecordedFailure.
   */
  onFinalFailure?(payload: QueuePayloads[N], error: Error): Promise<void>;
}

/**
 * Thrown by a processor when the molq job itself failed and its row says so already (FAILED, with
 * this message as its error): the entry fails with the same reason, so Bull Board lists it under
 * FAILED, but at once (an UnrecoverableError: no attempt retried), without onFinalFailure (the job's
 * error stays its own) and never read as a service outage, whatever the message says.
 */
export class RecordedFailure extends UnrecoverableError {
  constructor(reason: string) {
    super(reason);
    this.stack = `${this.name}: ${reason}`; // the board's Error tab shows the job's reason, not where molq threw it
  }
}

export const QUEUE_HANDLERS = Symbol('QUEUE_HANDLERS');
export const WORKER_PLAN = Symbol('WORKER_PLAN');

/** Which queues this process consumes, and with what concurrency override. */
export interface WorkerPlan {
  queues: QueueName[];
  concurrency?: number;
}
