import { JobRefPayload } from './job-ref.payload';
import { STALL_RECOVERY, type QueueDefinition } from './queue-definition';
import { QueueName } from './queue-name';

/** Moves a finished run's files from staging into object storage and records artifacts. */
export type UploadPayload = JobRefPayload;

export const uploadQueue: QueueDefinition<UploadPayload> = {
  name: QueueName.Upload,
  payload: JobRefPayload,
  jobOptions: {
    attempts: 8,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { age: 3_600, count: 10_000 },
    removeOnFail: { age: 14 * 24 * 3_600 },
  },
  worker: { concurrency: 4, ...STALL_RECOVERY },
};
