/** PostgreSQL error classes that mean "not now": connection exceptions (08), operator intervention (57), insufficient resources (53). */
const PG_UNAVAILABLE = /^(08|57|53)/;
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Connection is closed|Stream isn't writeable|Reached the max retries per request|max retries|Client has encountered a connection error|Command timed out/i;

/**
 * Thrown by code that gave up on PostgreSQL or Redis after waiting for it itself (a lease renewal
 * retried with backoff, say): a 503, never the request's fault, whatever error it saw last (its cause).
 */
export class ServiceUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServiceUnavailableError';
  }
}

/** Whether an error says that PostgreSQL or Redis is unreachable (or shedding load), not that the request was wrong. */
export function isUnavailable(err: unknown): boolean {
  if (err instanceof ServiceUnavailableError) return true;
  for (
    let e = err as
        { code?: unknown; message?: unknown; driverError?: unknown; name?: unknown; cause?: unknown } | undefined,
      depth = 0;
    e && depth < 4;
    depth++
  ) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (PG_UNAVAILABLE.test(code) || NETWORK.has(code) || e.name === 'MaxRetriesPerRequestError') return true;
    if (typeof e.message === 'string' && MESSAGE.test(e.message)) return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}

/**
 * Runs `work` again while it fails because PostgreSQL or Redis is away, backing off 1 s, 2 s … 5 s,
 * for up to `patienceMs`; any other error, or one past the patience, is thrown. For steps that
 * must not be redone from the start (an engine's results waiting to be recorded).
 */
export async function untilAvailable<T>(
  work: () => Promise<T>,
  patienceMs: number,
  onWait?: (err: Error) => void,
): Promise<T> {
  const deadline = Date.now() + patienceMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isUnavailable(err) || Date.now() >= deadline) throw err;
      onWait?.(err as Error);
      await new Promise((r) =>
        setTimeout(r, Math.min(1_000 * 2 ** attempt, 5_000, Math.max(0, deadline - Date.now()))),
      );
    }
  }
}
