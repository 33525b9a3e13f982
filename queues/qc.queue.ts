import { RunPayload } from './run.payload';
import { STALL_RECOVERY, type QueueDefinition } from './queue-definition';
import { QueueName } from './queue-name';
import { RUN_JOB_OPTIONS } from './run-job-options';

/** Quantum-chemistry runs (Gaussian, xtb), taken by a local executor pool or a bridge. */
export type QcPayload = RunPayload;

export const qcQueue: QueueDefinition<QcPayload> = {
  name: QueueName.Qc,
  payload: RunPayload,
  jobOptions: RUN_JOB_OPTIONS,
  worker: { concurrency: 2, ...STALL_RECOVERY },
};
