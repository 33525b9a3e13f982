import { Worker } from 'bullmq';
import type { SlidingWindowLimiter } from '../src/limiter/sliding-window-limiter';
import type { JobContext } from './queue-handler';

/**
 * Inside a processor: take `cost` grants of `key`, or give the job back to its queue with
 * BullMQ's own rate limiting (the queue pauses for the retry-after, the job waits again and
 * no attempt is spent) instead of sleeping while holding it.
 */
export async function passLimiter(
  limiter: SlidingWindowLimiter,
  context: Pick<JobContext, 'worker'>,
  key: string,
  cost = 1,
): Promise<void> {
  const result = await limiter.acquire(key, cost);
  if (result.allowed) return;
  await context.worker.rateLimit(result.retryAfterMs);
  throw Worker.RateLimitError();
}
