import { RunPayload } from './run.payload';
import { STALL_RECOVERY, type QueueDefinition } from './queue-definition';
import { QueueName } from './queue-name';
import { RUN_JOB_OPTIONS } from './run-job-options';

/** Molecular-dynamics runs (LAMMPS), taken by a local executor pool or a bridge. */
export type MdPayload = RunPayload;

export const mdQueue: QueueDefinition<MdPayload> = {
  name: QueueName.Md,
  payload: RunPayload,
  jobOptions: RUN_JOB_OPTIONS,
  worker: { concurrency: 2, ...STALL_RECOVERY }, // two slots: one user's long run leaves one to others (OwnerSlots)
};
