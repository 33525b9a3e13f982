import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { QueueEvents } from 'bullmq';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { JobStore } from '../jobs/job-store';
import { QUEUE_NAMES, type QueueName } from '../../queues';
import { CommonConfig } from '../config/common.config';
import { RateLimiter } from '../limiter/rate-limiter';
import { QueueProducer } from '../queueing/queue-producer';
import { redisOptions } from '../redis/redis-options';
import { withTimeout } from '../common/with-timeout';

const QUEUE_STATES = [
  'waiting',
  'prioritized',
  'active',
  'delayed',
  'completed',
  'failed',
  'paused',
  'waiting-children',
] as const;
const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3_600, 4 * 3_600, 24 * 3_600];

/**
 * The master's Prometheus registry: BullMQ counts per queue and state, molq jobs per status
 * (from PostgreSQL), and per queue how long jobs waited and took, from BullMQ's completed/failed events.
 */
@Injectable()
export class MetricsService implements OnModuleInit, OnModuleDestroy {
  readonly registry = new Registry();
  private readonly logger = new Logger(MetricsService.name);
  private readonly events: QueueEvents[] = [];
  private readonly durations: Histogram<'queue' | 'outcome'>;
  private readonly waits: Histogram<'queue'>;

  constructor(
    private readonly producer: QueueProducer,
    private readonly jobs: JobStore,
    private readonly limiter: RateLimiter,
    @Inject(CommonConfig) private readonly config: CommonConfig,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'molq_process_' });
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- prom-client calls collect() with the metric as `this`
    const self = this;
    new Gauge({
      name: 'molq_queue_jobs',
      help: 'BullMQ jobs per queue and state',
      labelNames: ['queue', 'state'],
      registers: [this.registry],
      async collect() {
        this.reset();
        await Promise.all(QUEUE_NAMES.map((q) => self.collectQueue(q, this)));
      },
    });
    new Gauge({
      name: 'molq_jobs',
      help: 'molq jobs per status (PostgreSQL)',
      labelNames: ['status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const r of await self.jobs.statusCounts()) this.set({ status: r.status }, r.n);
      },
    });
    const seen = new Map<string, number>();
    new Counter({
      name: 'molq_limiter_requests_total',
      help: 'Shared limiter decisions per key and outcome (granted counts grants, refused counts calls), all worker processes',
      labelNames: ['key', 'outcome'],
      registers: [this.registry],
      async collect() {
        const stats = await withTimeout(self.limiter.stats(), 1_000, 'limiter stats').catch(() => ({}));
        for (const [key, counts] of Object.entries(stats)) {
          for (const outcome of ['granted', 'refused'] as const) {
            const id = `${key}/${outcome}`;
            const delta = counts[outcome] - (seen.get(id) ?? 0);
            if (delta > 0) this.inc({ key, outcome }, delta);
            seen.set(id, counts[outcome]);
          }
        }
      },
    });
    this.durations = new Histogram({
      name: 'molq_queue_job_duration_seconds',
      help: 'Processing time of BullMQ jobs (processedOn to finishedOn) per queue and outcome',
      labelNames: ['queue', 'outcome'],
      buckets: DURATION_BUCKETS,
      registers: [this.registry],
    });
    this.waits = new Histogram({
      name: 'molq_queue_job_wait_seconds',
      help: 'Time BullMQ jobs waited in their queue before a worker took them (timestamp to processedOn), per queue: where jobs wait',
      labelNames: ['queue'],
      buckets: DURATION_BUCKETS,
      registers: [this.registry],
    });
  }

  onModuleInit(): void {
    const connection = redisOptions(this.config, { maxRetriesPerRequest: null });
    for (const queue of QUEUE_NAMES) {
      const events = new QueueEvents(queue, { connection, prefix: this.config.REDIS_PREFIX });
      events.on('error', (err) => this.logger.debug(`queue events ${queue}: ${err.message}`));
      events.on('completed', ({ jobId }) => void this.observe(queue, jobId, 'completed'));
      events.on('failed', ({ jobId }) => void this.observe(queue, jobId, 'failed'));
      this.events.push(events);
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled(this.events.map((e) => e.close()));
  }

  private async collectQueue(queue: QueueName, gauge: Gauge<'queue' | 'state'>): Promise<void> {
    try {
      const counts = await withTimeout(this.producer.queue(queue).getJobCounts(...QUEUE_STATES), 1_000, 'job counts');
      for (const state of QUEUE_STATES) gauge.set({ queue, state }, counts[state] ?? 0);
    } catch {
      // Redis unreachable: /health says so; leave this queue's series out of this scrape
    }
  }

  private async observe(queue: QueueName, jobId: string, outcome: 'completed' | 'failed'): Promise<void> {
    try {
      const job = await this.producer.queue(queue).getJob(jobId);
      if (job?.processedOn && job.finishedOn)
        this.durations.observe({ queue, outcome }, (job.finishedOn - job.processedOn) / 1_000);
      if (job?.processedOn) this.waits.observe({ queue }, Math.max(0, job.processedOn - job.timestamp) / 1_000);
    } catch {
      // the job was removed already, or Redis went away: one sample less
    }
  }
}
