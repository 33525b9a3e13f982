/**
 * Where a Slurm job state leaves a molq run:
 * - waiting: Slurm holds the job and has not started it (or has paused or requeued it);
 * - running: it runs, or is finishing (epilog, stage-out, resizing, signalling);
 * - completed / cancelled / failed: it ended so, for good;
 * - requeue: the cluster, not the job, failed it (a node died, a node did not boot, a
 *   preemption, a federation sibling took it): molq runs it again, a bounded number of times.
 */
export type RunOutcome = 'waiting' | 'running' | 'completed' | 'failed' | 'cancelled' | 'requeue';

interface StateRow {
  code: string;
  outcome: RunOutcome;
  meaning: string;
}

/** Every job state in Slurm's documentation (squeue(1) "JOB STATE CODES", sacct(1) "JOB STATE CODES"), by long name. */
export const SLURM_STATES: Readonly<Record<string, StateRow>> = {
  BOOT_FAIL: { code: 'BF', outcome: 'requeue', meaning: 'terminated by a launch failure (node boot)' },
  CANCELLED: { code: 'CA', outcome: 'cancelled', meaning: 'cancelled by the user or an administrator' },
  COMPLETED: { code: 'CD', outcome: 'completed', meaning: 'all processes ended with exit code zero' },
  CONFIGURING: { code: 'CF', outcome: 'waiting', meaning: 'allocated nodes are booting' },
  COMPLETING: { code: 'CG', outcome: 'running', meaning: 'finishing: epilog or processes still ending' },
  DEADLINE: { code: 'DL', outcome: 'failed', meaning: 'terminated on its deadline' },
  FAILED: { code: 'F', outcome: 'failed', meaning: 'non-zero exit code or other failure' },
  NODE_FAIL: { code: 'NF', outcome: 'requeue', meaning: 'a node it ran on failed' },
  OUT_OF_MEMORY: { code: 'OOM', outcome: 'failed', meaning: 'out of memory' },
  PENDING: { code: 'PD', outcome: 'waiting', meaning: 'waiting for resources' },
  PREEMPTED: { code: 'PR', outcome: 'requeue', meaning: 'terminated by preemption' },
  RUNNING: { code: 'R', outcome: 'running', meaning: 'running' },
  RESV_DEL_HOLD: { code: 'RD', outcome: 'waiting', meaning: 'held: its reservation was deleted' },
  REQUEUE_FED: { code: 'RF', outcome: 'waiting', meaning: 'requeued by a federation' },
  REQUEUE_HOLD: { code: 'RH', outcome: 'waiting', meaning: 'held after a requeue' },
  REQUEUED: { code: 'RQ', outcome: 'waiting', meaning: 'requeued' },
  RESIZING: { code: 'RS', outcome: 'running', meaning: 'about to change size' },
  REVOKED: { code: 'RV', outcome: 'requeue', meaning: 'removed: a federation sibling cluster started it' },
  SIGNALING: { code: 'SI', outcome: 'running', meaning: 'being signalled' },
  SPECIAL_EXIT: { code: 'SE', outcome: 'waiting', meaning: 'requeued in a special held state' },
  STAGE_OUT: { code: 'SO', outcome: 'running', meaning: 'staging out files' },
  STOPPED: { code: 'ST', outcome: 'waiting', meaning: 'stopped with SIGSTOP, allocation kept' },
  SUSPENDED: { code: 'S', outcome: 'waiting', meaning: 'suspended, resources released' },
  TIMEOUT: { code: 'TO', outcome: 'failed', meaning: 'reached its time limit' },
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
export function runOutcome(state: string): RunOutcome {
  return SLURM_STATES[slurmStateName(state)]?.outcome ?? 'failed';
}
