import { JobRefPayload } from './job-ref.payload';
import type { QueueDefinition } from './queue-definition';
import { QueueName } from './queue-name';

/** Molecular-dynamics runs (LAMMPS), taken by a local executor pool or a bridge. */
export type MdPayload = JobRefPayload;

export const mdQueue: QueueDefinition<MdPayload> = {
  name: QueueName.Md,
  payload: JobRefPayload,
  jobOptions: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 10_000 },
    removeOnComplete: { age: 24 * 3_600, count: 10_000 },
    removeOnFail: { age: 14 * 24 * 3_600 },
  },
  worker: { concurrency: 1, lockDuration: 60_000, stalledInterval: 30_000, maxStalledCount: 2 },
};
