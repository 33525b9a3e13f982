import { IllegalTransitionError, assertTransition, canTransition } from './job-state-machine';
import { JOB_STATUSES, JobStatus as S } from './job-status';

const LEGAL: Record<S, S[]> = {
  [S.Pending]: [S.Queued, S.Completed, S.Failed, S.Cancelled], // COMPLETED: reused results
  [S.Queued]: [S.Dispatched, S.Failed, S.Cancelled],
  [S.Dispatched]: [S.Running, S.Queued, S.Failed, S.Cancelled],
  [S.Running]: [S.Uploading, S.Queued, S.Failed, S.Cancelled],
  [S.Uploading]: [S.Reporting, S.Failed, S.Cancelled],
  [S.Reporting]: [S.Completed, S.Failed, S.Cancelled],
  [S.Completed]: [],
  [S.Failed]: [S.Pending], // retried by its owner
  [S.Cancelled]: [],
};

describe('job state machine', () => {
  const pairs = JOB_STATUSES.flatMap((from) => JOB_STATUSES.map((to) => [from, to] as const));

  it.each(pairs)('%s -> %s is legal exactly when the lifecycle allows it', (from, to) => {
    expect(canTransition(from, to)).toBe(LEGAL[from].includes(to));
  });

  it('refuses with a typed error naming the job and both states', () => {
    expect(() => assertTransition('j1', S.Completed, S.Running)).toThrow(IllegalTransitionError);
    expect(() => assertTransition('j1', S.Completed, S.Running)).toThrow(
      'job j1: illegal transition COMPLETED -> RUNNING',
    );
  });

  it('never allows a state to transition to itself', () => {
    for (const s of JOB_STATUSES) expect(canTransition(s, s)).toBe(false);
  });
});
