import type { DefaultJobOptions } from 'bullmq';
import type { QueueName } from './queue-name';

/** Worker settings a pool uses for one queue unless its flags override them. */
export interface QueueWorkerOptions {
  concurrency: number;
  /** How long a worker holds a job's lock between renewals (BullMQ renews at half of it). */
  lockDuration: number;
  /** How often stalled jobs (lock lost: crashed worker) are moved back to wait. */
  stalledInterval: number;
  /** How many times a job may stall before it fails. */
  maxStalledCount: number;
}

/** Everything molq knows about one queue: its name, payload schema and defaults. */
export interface QueueDefinition<P extends object> {
  name: QueueName;
  /** class-validator schema of the payload; a payload that fails it is never retried. */
  payload: new () => P;
  jobOptions: DefaultJobOptions;
  worker: QueueWorkerOptions;
}
