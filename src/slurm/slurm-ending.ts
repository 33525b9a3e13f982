import type { SlurmDriver, SlurmJobStatus } from './slurm-driver';

/** What a Slurm job that has left the queue means for its molq job. */
export type SlurmEnding =
  | { kind: 'completed' }
  /** `retryable`: the cluster failed it (node failure, preemption…), not the job: run it again. */
  | { kind: 'failed'; message: string; retryable: boolean };

/**
 * The one reading of a Slurm job's end, for both ways molq drives Slurm (SlurmExecutor in a pool,
 * the campus bridge): null while it waits or runs; else completed, or failed with the reason (Slurm's
 * state and reason, then the engine's own diagnosis from its logs).
 */
export async function slurmEnding(
  slurm: SlurmDriver,
  jobId: string,
  status: SlurmJobStatus,
): Promise<SlurmEnding | null> {
  switch (status.outcome) {
    case 'completed':
      return { kind: 'completed' };
    case 'cancelled':
      return {
        kind: 'failed',
        message: `Slurm job ${status.schedulerId} was cancelled on the cluster`,
        retryable: false,
      };
    case 'failed':
      return { kind: 'failed', message: await slurm.failureMessage(jobId, status), retryable: false };
    case 'requeue':
      return {
        kind: 'failed',
        message: `${await slurm.failureMessage(jobId, status)}: the cluster failed it, not the job`,
        retryable: true,
      };
    default:
      return null;
  }
}
