/** How soon an entry whose stage found PostgreSQL, Redis or storage away is tried again (±⅓ jitter), no attempt spent. */
export const OUTAGE_RETRY_MS = 1_500;
/**
 * For how long one entry is deferred so. Past it, its failures count as attempts again (BullMQ's
 * backoff, then the reconciler): a service away that long, or an error wrongly read as an outage,
 * must not keep an entry bouncing for ever.
 */
export const OUTAGE_PATIENCE_MS = 5 * 60_000;

/**
 * Which entries of this pool are waiting out an outage, and since when. A stage that fails because
 * a service is away is not the job's fault: spending BullMQ attempts on it grew the backoff to 32 s
 * or more during a 30 s PostgreSQL stop, so jobs waited long after it came back (fault suite).
 */
export class OutageDeferrals {
  private readonly since = new Map<string, number>();

  constructor(
    private readonly patienceMs = OUTAGE_PATIENCE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The delay before this entry is tried again without spending an attempt, or undefined once it has
   * been deferred for longer than the patience (its next failure counts).
   */
  defer(key: string): number | undefined {
    const now = this.now();
    for (const [k, at] of this.since) if (now - at > 2 * this.patienceMs) this.since.delete(k); // taken elsewhere since
    const first = this.since.get(key) ?? now;
    if (now - first > this.patienceMs) {
      this.since.delete(key);
      return undefined;
    }
    this.since.set(key, first);
    return Math.round(OUTAGE_RETRY_MS * (2 / 3 + (2 / 3) * Math.random()));
  }

  /** Whether this entry is already waiting out an outage (its first deferral is the one worth logging). */
  waiting(key: string): boolean {
    return this.since.has(key);
  }

  /** The entry's stage ran (or failed for its own reasons): its next outage starts a new patience. */
  clear(key: string): void {
    this.since.delete(key);
  }
}
