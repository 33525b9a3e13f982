import { JobRefPayload } from './job-ref.payload';
import type { QueueDefinition } from './queue-definition';
import { QueueName } from './queue-name';
import { RUN_JOB_OPTIONS } from './run-job-options';

/** Quantum-chemistry runs (Gaussian, xtb), taken by a local executor pool or a bridge. */
export type QcPayload = JobRefPayload;

export const qcQueue: QueueDefinition<QcPayload> = {
  name: QueueName.Qc,
  payload: JobRefPayload,
  jobOptions: RUN_JOB_OPTIONS,
  worker: { concurrency: 2, lockDuration: 60_000, stalledInterval: 30_000, maxStalledCount: 2 },
};
