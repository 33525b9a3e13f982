/** BullMQ's largest priority. */
const MAX_PRIORITY = 2 ** 21;
/** How much one already-waiting job of the same owner weighs against the job's own priority (1..10). */
const PER_WAITING_JOB = 10;

/**
 * Fair dispatch: a job's queue priority grows with the number of its owner's jobs already
 * waiting ahead of it, so owners interleave — one user's thousand waiting jobs do not starve
 * another user's single job. Within one owner, the job's own priority (1 = most urgent) still
 * orders their jobs. `waitingByOwner` counts each owner's QUEUED jobs, the ones being routed
 * included; the jobs are ranked in the order given.
 */
export function fairPriorities(
  jobs: { ownerId: string; priority: number }[],
  waitingByOwner: Map<string, number>,
): number[] {
  const routedByOwner = new Map<string, number>();
  for (const j of jobs) routedByOwner.set(j.ownerId, (routedByOwner.get(j.ownerId) ?? 0) + 1);
  const next = new Map<string, number>();
  return jobs.map((j) => {
    const ahead = Math.max(0, (waitingByOwner.get(j.ownerId) ?? 0) - routedByOwner.get(j.ownerId)!);
    const rank = ahead + (next.get(j.ownerId) ?? 0);
    next.set(j.ownerId, (next.get(j.ownerId) ?? 0) + 1);
    return Math.min(MAX_PRIORITY, j.priority + PER_WAITING_JOB * rank);
  });
}
