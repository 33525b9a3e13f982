import type { ProducedFile } from './executor';

/** The run failed. `retryable`: the cluster failed it (a node died, a preemption), not the job: it may run again. */
export interface RunFailure {
  kind: 'failed';
  reason: string;
  retryable: boolean;
}

/**
 * How a run ended, whichever way it ran (a local pool, Slurm from a pool, a bridge through the pull
 * API): every executor produces one, and only the run lifecycle (src/running/run-lifecycle.ts) reads
 * it to move the job. `completed` carries every file of the work dir (inputs included).
 */
export type RunOutcome =
  { kind: 'completed'; files: ProducedFile[] } | RunFailure | { kind: 'cancelled'; reason: string };

export const runCompleted = (files: ProducedFile[]): RunOutcome => ({ kind: 'completed', files });
export const runFailed = (reason: string, retryable = false): RunFailure => ({ kind: 'failed', reason, retryable });
export const runCancelled = (reason: string): RunOutcome => ({ kind: 'cancelled', reason });
