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

/**
 * How a crashed pool's jobs come back, the same for every queue: a dead worker stops renewing
 * its lock, which lapses after lockDuration (BullMQ renews it every lockDuration / 2 while the
 * process lives, so long jobs keep it); the next stalled check (every stalledInterval) puts
 * the job back in wait. A kill -9 is repaired within lockDuration + stalledInterval (45 s).
 */
export const STALL_RECOVERY = { lockDuration: 30_000, stalledInterval: 15_000, maxStalledCount: 2 } as const;

/** Everything molq knows about one queue: its name, payload schema and defaults. */
export interface QueueDefinition<P extends object> {
  name: QueueName;
  /** class-validator schema of the payload; a payload that fails it is never retried. */
  payload: new () => P;
  jobOptions: DefaultJobOptions;
  worker: QueueWorkerOptions;
}
