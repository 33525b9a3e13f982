/**
 * Per-user fairness inside one run pool: an owner's jobs may hold at most `limit` of the pool's
 * slots at once, so with the default (all but one) a user's long runs always leave a slot to
 * other users — preemption-free: nothing running is stopped, the next job of a user at the limit
 * waits in its queue (delayed, no attempt spent) while other users' jobs take the free slot.
 */
export class OwnerSlots {
  private readonly held = new Map<string, number>();
  private waiters: (() => void)[] = [];

  /**
   * Resolves when any slot is released, or after `ms`: a pool slot that just deferred a job waits
   * here instead of taking the same owner's next job at once (which would only defer it too).
   */
  anyRelease(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.push(wake);
    });
  }

  /** A release function when the owner may take one more slot; null when it holds `limit` already. */
  take(ownerId: string, limit: number): (() => void) | null {
    const holding = this.held.get(ownerId) ?? 0;
    if (holding >= limit) return null;
    this.held.set(ownerId, holding + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(ownerId) ?? 1) - 1;
      if (left > 0) this.held.set(ownerId, left);
      else this.held.delete(ownerId);
      for (const wake of [...this.waiters]) wake();
    };
  }
}

/** The slots one owner may hold in a pool of `concurrency`: the operator's RUN_SLOTS_PER_USER, or all but one. */
export const slotsPerOwner = (concurrency: number, configured?: number): number =>
  configured ?? Math.max(1, concurrency - 1);
