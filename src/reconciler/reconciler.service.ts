import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { MasterConfig } from '../config/master.config';
import type { QueuePayloads, QueueName } from '../../queues';
import { pipelineEntry, type PipelineJob } from '../jobs/job-routing';
import { JobStore } from '../jobs/job-store';
import { QueueProducer } from '../queueing/queue-producer';
import { BatchReportService } from '../results/batch-report.service';

export interface ReconcileReport {
  checked: number;
  enqueued: number;
}

const PAGE = 500;
const FINISHED = new Set(['completed', 'failed']);

/**
 * PostgreSQL is the truth, Redis holds the work. For every job that is not final, the pipeline
 * table (job-routing.ts) names the queue whose entry moves it on; an entry that is missing
 * (Redis flushed or restarted empty, a crash between a commit and its enqueue, a lost bridge
 * lease) or already finished is added again. Job id = BullMQ id, so this never duplicates, and
 * every stage skips a job no longer in its status, so a re-added entry never does work twice.
 * The status column is the outbox: a transition committed in PostgreSQL is always followed by its
 * enqueue, by its writer or, after a crash or a Redis outage, by this pass.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Reconciler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<ReconcileReport>;

  constructor(
    private readonly jobStore: JobStore,
    private readonly producer: QueueProducer,
    private readonly batchReports: BatchReportService,
    @Inject(MasterConfig) private readonly config: MasterConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.runSafely();
    this.timer = setInterval(() => void this.runSafely(), this.config.RECONCILE_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass over every job that should be queued; concurrent calls share one pass. */
  reconcile(): Promise<ReconcileReport> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runSafely(): Promise<void> {
    try {
      const report = await this.reconcile();
      if (report.enqueued > 0)
        this.logger.warn(`re-enqueued ${report.enqueued} of ${report.checked} job(s) missing from their queue`);
    } catch (err) {
      this.logger.error(`reconcile failed: ${(err as Error).message}`);
    }
  }

  private async pass(): Promise<ReconcileReport> {
    // batches whose 90 % / 100 % report is due but not yet asked for (jobs that failed or were cancelled)
    for (const batchId of await this.batchReports.dueBatches()) await this.batchReports.check(batchId);
    const report: ReconcileReport = { checked: 0, enqueued: 0 };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const jobs = await this.jobStore.pipelinePage(after, PAGE);
      if (jobs.length === 0) return report;
      report.checked += jobs.length;
      const results = await Promise.all(jobs.map((job) => this.ensureQueued(job)));
      report.enqueued += results.filter(Boolean).length;
      after = jobs[jobs.length - 1].id;
    }
  }

  private async ensureQueued(job: PipelineJob): Promise<boolean> {
    const entry = pipelineEntry(job);
    if (!entry) return false;
    const queue = this.producer.queue(entry.queue);
    const state = await queue.getJobState(job.id);
    if (state !== 'unknown' && !FINISHED.has(state)) return false;
    if (FINISHED.has(state)) await queue.remove(job.id);
    await this.producer.enqueue(entry.queue, entry.payload as QueuePayloads[QueueName], { priority: entry.priority });
    return true;
  }
}
