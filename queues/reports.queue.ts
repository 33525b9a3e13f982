import { JobRefPayload } from './job-ref.payload';
import type { QueueDefinition } from './queue-definition';
import { QueueName } from './queue-name';

/** Parses outputs, draws plots and writes the job's report, then completes the job. */
export type ReportsPayload = JobRefPayload;

export const reportsQueue: QueueDefinition<ReportsPayload> = {
  name: QueueName.Reports,
  payload: JobRefPayload,
  jobOptions: {
    attempts: 4,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { age: 3_600, count: 10_000 },
    removeOnFail: { age: 14 * 24 * 3_600 },
  },
  worker: { concurrency: 2, lockDuration: 60_000, stalledInterval: 30_000, maxStalledCount: 2 },
};
