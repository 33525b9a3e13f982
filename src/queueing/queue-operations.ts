import { Injectable } from '@nestjs/common';
import { QUEUE_NAMES, type QueueName } from '../../queues';
import { QueueProducer } from './queue-producer';

export interface QueueStatus {
  queue: QueueName;
  paused: boolean;
  workers: number;
  counts: Record<'waiting' | 'prioritized' | 'active' | 'delayed' | 'failed' | 'completed', number>;
}

const STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'] as const;

export class UnknownQueueError extends Error {}

/**
 * What an operator does to queues (CLI): look, pause, resume, drain, retry failed entries.
 * Removing waiting entries is never offered: a molq job's state lives in PostgreSQL and the
 * reconciler would enqueue it again; pausing is how work is held back.
 */
@Injectable()
export class QueueOperations {
  constructor(private readonly producer: QueueProducer) {}

  /** The queue once its connection is up (the producer has no offline queue: calls before that would fail). */
  private async ready(name: QueueName) {
    const queue = this.producer.queue(name);
    await queue.waitUntilReady();
    return queue;
  }

  /** The named queues ("md,qc", or "all"), refused if one is not a molq queue. */
  select(names: string): QueueName[] {
    if (names === 'all') return [...QUEUE_NAMES];
    const list = names.split(',').map((n) => n.trim());
    const unknown = list.filter((n) => !QUEUE_NAMES.includes(n as QueueName));
    if (unknown.length > 0)
      throw new UnknownQueueError(
        `--queue: ${unknown.join(', ')} is not a molq queue (${QUEUE_NAMES.join(', ')}, or all)`,
      );
    return list as QueueName[];
  }

  async status(): Promise<QueueStatus[]> {
    return Promise.all(
      QUEUE_NAMES.map(async (name) => {
        const queue = await this.ready(name);
        const [counts, paused, workers] = await Promise.all([
          queue.getJobCounts(...STATES),
          queue.isPaused(),
          queue.getWorkersCount(),
        ]);
        return {
          queue: name,
          paused,
          workers,
          counts: Object.fromEntries(STATES.map((s) => [s, counts[s] ?? 0])) as QueueStatus['counts'],
        };
      }),
    );
  }

  /** Workers stop taking new entries from the queue, everywhere; running ones finish. */
  async pause(name: QueueName): Promise<void> {
    await (await this.ready(name)).pause();
  }

  async resume(name: QueueName): Promise<void> {
    await (await this.ready(name)).resume();
  }

  /**
   * Pause, then wait until no entry of the queue is running (to take nodes down or deploy):
   * waiting entries stay for after `resume`. Resolves with the entries still running at the deadline.
   */
  async drain(name: QueueName, timeoutMs: number, onWait?: (active: number) => void): Promise<number> {
    const queue = await this.ready(name);
    await queue.pause();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const active = await queue.getActiveCount();
      if (active === 0 || Date.now() >= deadline) return active;
      onWait?.(active);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  /** Failed entries go back to waiting; a processor skips any whose molq job has moved on. */
  async retryFailed(name: QueueName): Promise<number> {
    const queue = await this.ready(name);
    const failed = await queue.getFailedCount();
    await queue.retryJobs({ state: 'failed', count: 1_000 });
    return failed;
  }
}
