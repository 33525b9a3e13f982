/**
 * The one table of Slurm job states: where each leaves a molq run (its phase), for the Slurm
 * executor, the bridge and the pull API alike:
 * - waiting: Slurm holds the job and has not started it (or has paused or requeued it);
 * - running: it runs, or is finishing (epilog, stage-out, resizing, signalling);
 * - completed / cancelled / failed: it ended so, for good;
 * - requeue: the cluster, not the job, failed it (a node died, a node did not boot, a
 *   preemption, a federation sibling took it): molq runs it again, a bounded number of times.
 */
export type SlurmPhase = 'waiting' | 'running' | 'completed' | 'failed' | 'cancelled' | 'requeue';

interface StateRow {
  code: string;
  phase: SlurmPhase;
  meaning: string;
}

/** Every job state in Slurm's documentation (squeue(1) "JOB STATE CODES", sacct(1) "JOB STATE CODES"), by long name. */
export const SLURM_STATES: Readonly<Record<string, StateRow>> = {
  BOOT_FAIL: { code: 'BF', phase: 'requeue', meaning: 'terminated by a launch failure (node boot)' },
  CANCELLED: { code: 'CA', phase: 'cancelled', meaning: 'cancelled by the user or an administrator' },
  COMPLETED: { code: 'CD', phase: 'completed', meaning: 'all processes ended with exit code zero' },
  CONFIGURING: { code: 'CF', phase: 'waiting', meaning: 'allocated nodes are booting' },
  COMPLETING: { code: 'CG', phase: 'running', meaning: 'finishing: epilog or processes still ending' },
  DEADLINE: { code: 'DL', phase: 'failed', meaning: 'terminated on its deadline' },
  FAILED: { code: 'F', phase: 'failed', meaning: 'non-zero exit code or other failure' },
  NODE_FAIL: { code: 'NF', phase: 'requeue', meaning: 'a node it ran on failed' },
  OUT_OF_MEMORY: { code: 'OOM', phase: 'failed', meaning: 'out of memory' },
  PENDING: { code: 'PD', phase: 'waiting', meaning: 'waiting for resources' },
  PREEMPTED: { code: 'PR', phase: 'requeue', meaning: 'terminated by preemption' },
  RUNNING: { code: 'R', phase: 'running', meaning: 'running' },
  RESV_DEL_HOLD: { code: 'RD', phase: 'waiting', meaning: 'held: its reservation was deleted' },
  REQUEUE_FED: { code: 'RF', phase: 'waiting', meaning: 'requeued by a federation' },
  REQUEUE_HOLD: { code: 'RH', phase: 'waiting', meaning: 'held after a requeue' },
  REQUEUED: { code: 'RQ', phase: 'waiting', meaning: 'requeued' },
  RESIZING: { code: 'RS', phase: 'running', meaning: 'about to change size' },
  REVOKED: { code: 'RV', phase: 'requeue', meaning: 'removed: a federation sibling cluster started it' },
  SIGNALING: { code: 'SI', phase: 'running', meaning: 'being signalled' },
  SPECIAL_EXIT: { code: 'SE', phase: 'waiting', meaning: 'requeued in a special held state' },
  STAGE_OUT: { code: 'SO', phase: 'running', meaning: 'staging out files' },
  STOPPED: { code: 'ST', phase: 'waiting', meaning: 'stopped with SIGSTOP, allocation kept' },
  SUSPENDED: { code: 'S', phase: 'waiting', meaning: 'suspended, resources released' },
  TIMEOUT: { code: 'TO', phase: 'failed', meaning: 'reached its time limit' },
};

const BY_CODE: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SLURM_STATES).map(([name, row]) => [row.code, name]),
);

/** The long name of a state given long ("REQUEUE_HOLD") or compact ("RH"); unknown names come back as they are. */
export function slurmStateName(state: string): string {
  return SLURM_STATES[state] ? state : (BY_CODE[state] ?? state);
}

/**
 * Where a Slurm state leaves a molq run. A state not in Slurm's documentation ends the run
 * FAILED naming it (never silently: the message carries the state).
 */
export function slurmPhase(state: string): SlurmPhase {
  return SLURM_STATES[slurmStateName(state)]?.phase ?? 'failed';
}
