import type { DefaultJobOptions } from 'bullmq';

/** md and qc: runs are long and costly, so few retries, spaced out, and results kept a day. */
export const RUN_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 10_000 },
  removeOnComplete: { age: 24 * 3_600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3_600 },
};
