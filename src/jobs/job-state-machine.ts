import { FINAL_STATUSES, JobStatus } from './job-status';

const S = JobStatus;

/**
 * The only table of legal transitions. DISPATCHED/RUNNING may go back to QUEUED when a lease
 * is lost (a bridge or worker died) so the job is run elsewhere. FAILED and CANCELLED are
 * reachable from every non-final state. Of the final states only FAILED goes anywhere: back to
 * PENDING when its owner retries it (a new attempt of the same job, on its timeline). PENDING goes
 * straight to COMPLETED when the job takes an identical finished job's results (src/reuse/).
 */
const FORWARD: Readonly<Record<JobStatus, readonly JobStatus[]>> = {
  [S.Pending]: [S.Queued, S.Completed],
  [S.Queued]: [S.Dispatched],
  [S.Dispatched]: [S.Running, S.Queued],
  [S.Running]: [S.Uploading, S.Queued],
  [S.Uploading]: [S.Reporting],
  [S.Reporting]: [S.Completed],
  [S.Completed]: [],
  [S.Failed]: [S.Pending],
  [S.Cancelled]: [],
};

export function isFinal(status: JobStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  if (isFinal(from)) return FORWARD[from].includes(to);
  if (to === S.Failed || to === S.Cancelled) return true;
  return FORWARD[from].includes(to);
}

/** Raised when code asks for a transition the state machine forbids. */
export class IllegalTransitionError extends Error {
  constructor(
    readonly jobId: string,
    readonly from: JobStatus,
    readonly to: JobStatus,
  ) {
    super(`job ${jobId}: illegal transition ${from} -> ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export function assertTransition(jobId: string, from: JobStatus, to: JobStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(jobId, from, to);
}
