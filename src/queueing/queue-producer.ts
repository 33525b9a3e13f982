import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QUEUES, QUEUE_NAMES, QueueName, type QueuePayloads } from '../../queues';
import { CommonConfig } from '../config/common.config';
import { commandConnectionOptions } from '../redis/redis-options';
import { withTimeout } from '../common/with-timeout';

export interface EnqueueOptions {
  /** BullMQ priority, 1 = highest; 0 or absent = none. */
  priority?: number;
}

/** The BullMQ id of a payload: the molq job id, or for a batch report its batch and stage. */
export function bullJobId(payload: { jobId?: string; batchId?: string; stage?: string }): string {
  if (payload.jobId) return payload.jobId;
  return `batch-${payload.stage}-${payload.batchId}`;
}

/** How long an enqueue may wait for Redis before the caller is told it failed. */
const ENQUEUE_TIMEOUT_MS = 3_000;

/**
 * The one way molq code puts work on a queue. The BullMQ job id is always the molq job id,
 * so adding the same job twice leaves one entry.
 */
@Injectable()
export class QueueProducer implements OnModuleDestroy {
  private readonly logger = new Logger(QueueProducer.name);
  private readonly queues: Record<QueueName, Queue>;

  constructor(@Inject(CommonConfig) config: CommonConfig) {
    // No offline queue and a command timeout: when Redis is down or stuck, an add fails fast instead of hanging an HTTP request.
    const connection = commandConnectionOptions(config);
    this.queues = Object.fromEntries(
      QUEUE_NAMES.map((name) => {
        const queue = new Queue(name, {
          connection,
          prefix: config.REDIS_PREFIX,
          defaultJobOptions: QUEUES[name].jobOptions,
        });
        queue.on('error', (err) => this.logger.warn(`queue ${name}: ${err.message}`));
        return [name, queue];
      }),
    ) as Record<QueueName, Queue>;
  }

  queue(name: QueueName): Queue {
    return this.queues[name];
  }

  all(): Queue[] {
    return QUEUE_NAMES.map((n) => this.queues[n]);
  }

  async enqueue<N extends QueueName>(name: N, payload: QueuePayloads[N], options: EnqueueOptions = {}): Promise<void> {
    const add = this.queues[name].add(name, payload, {
      jobId: bullJobId(payload),
      ...(options.priority ? { priority: options.priority } : {}),
    });
    await withTimeout(add, ENQUEUE_TIMEOUT_MS, `enqueue on ${name}`);
  }

  /** One round trip for many jobs (addBulk); ids are still the molq job ids. */
  async enqueueMany<N extends QueueName>(
    name: N,
    items: { payload: QueuePayloads[N]; priority?: number }[],
  ): Promise<void> {
    if (items.length === 0) return;
    const add = this.queues[name].addBulk(
      items.map(({ payload, priority }) => ({
        name,
        data: payload,
        opts: { jobId: bullJobId(payload), ...(priority ? { priority } : {}) },
      })),
    );
    await withTimeout(add, ENQUEUE_TIMEOUT_MS, `enqueue on ${name}`);
  }

  async onModuleDestroy(): Promise<void> {
    // a queue closed while still connecting has BullMQ send commands on a stream that refuses them
    // (no offline queue), an unhandled rejection that turns a clean exit into code 1: let it connect first
    await Promise.allSettled(
      this.all().map((q) =>
        withTimeout(q.waitUntilReady(), ENQUEUE_TIMEOUT_MS, `connect ${q.name}`)
          .catch(() => undefined)
          .then(() => q.close()),
      ),
    );
  }
}
