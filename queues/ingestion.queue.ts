import { JobRefPayload } from './job-ref.payload';
import { STALL_RECOVERY, type QueueDefinition } from './queue-definition';
import { QueueName } from './queue-name';

/** Deep validation and rendering of a submitted job, then routing to md or qc. */
export type IngestionPayload = JobRefPayload;

export const ingestionQueue: QueueDefinition<IngestionPayload> = {
  name: QueueName.Ingestion,
  payload: JobRefPayload,
  jobOptions: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: { age: 3_600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3_600 },
  },
  worker: { concurrency: 32, ...STALL_RECOVERY },
};
