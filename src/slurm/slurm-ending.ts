import { runFailed, type RunFailure } from '../executor/run-outcome';
import type { SlurmDriver, SlurmJobStatus } from './slurm-driver';

/**
 * The one reading of a Slurm job's end, for both ways molq drives Slurm (SlurmExecutor in a pool,
 * the campus bridge): null while it waits or runs; else completed (the caller fetches its files), or
 * the run's failure with the reason (Slurm's state and reason, then the engine's own diagnosis from its
 * logs), retryable when the cluster failed it (node failure, preemption…), not the job.
 */
export async function slurmEnding(
  slurm: SlurmDriver,
  jobId: string,
  status: SlurmJobStatus,
): Promise<'completed' | RunFailure | null> {
  switch (status.phase) {
    case 'completed':
      return 'completed';
    case 'cancelled':
      return runFailed(`Slurm job ${status.schedulerId} was cancelled on the cluster`);
    case 'failed':
      return runFailed(await slurm.failureMessage(jobId, status));
    case 'requeue':
      return runFailed(`${await slurm.failureMessage(jobId, status)}: the cluster failed it, not the job`, true);
    default:
      return null;
  }
}
