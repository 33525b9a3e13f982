import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { MasterConfig } from '../config/master.config';
import type { QueuePayloads, QueueName } from '../../queues';
import { pipelineEntry, type PipelineEntry, type PipelineJob } from '../jobs/job-routing';
import { JobStore } from '../jobs/job-store';
import { QueueProducer } from '../queueing/queue-producer';
import { BatchReportService } from '../results/batch-report.service';
import { entryStates } from './entry-states';

export interface ReconcileReport {
  checked: number;
  enqueued: number;
}

/** What one pass cost: its wall time and its Redis round trips (checks, removals, adds) and their time. */
export interface PassCost extends ReconcileReport {
  pages: number;
  wallMs: number;
  redisMs: number;
  redisRoundTrips: number;
}

const PAGE = 500;
/**
 * Between two pages the pass yields for at least this long, or as long as the page took, whichever is
 * longer: it uses at most half of the event loop and of Redis, so the API's requests go between its
 * pages (a pass over 100,000 open jobs is 200 pages).
 */
const PAGE_PAUSE_MS = 10;
/** A pass over at least this many open jobs says what it cost at log level (below: debug). */
const LOG_PASS_FROM = 1_000;

/**
 * PostgreSQL is the truth, Redis holds the work. For every job that is not final, the pipeline
 * table (job-routing.ts) names the queue whose entry moves it on; an entry that is missing
 * (Redis flushed or restarted empty, a crash between a commit and its enqueue, a lost bridge
 * lease) or already finished is added again. Job id = BullMQ id, so this never duplicates, and
 * every stage skips a job no longer in its status, so a re-added entry never does work twice.
 * The status column is the outbox: a transition committed in PostgreSQL is always followed by its
 * enqueue, by its writer or, after a crash or a Redis outage, by this pass. A pass reads the jobs by
 * pages of 500 and checks a page's entries in ONE round trip (entry-states.ts), re-adds what is
 * missing with one addBulk per queue, and pauses between pages.
 */
@Injectable()
export class Reconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Reconciler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<ReconcileReport>;
  /** The last pass's cost (Redis time per pass), for logs, metrics and benchmarks. */
  lastPass?: PassCost;

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
      await this.reconcile();
      const cost = this.lastPass!;
      const line =
        `pass over ${cost.checked} open job(s) in ${cost.pages} page(s): ${cost.wallMs} ms, ` +
        `Redis ${cost.redisMs} ms in ${cost.redisRoundTrips} round trip(s)`;
      if (cost.enqueued > 0) this.logger.warn(`re-enqueued ${cost.enqueued} job(s) missing from their queue; ${line}`);
      else if (cost.checked >= LOG_PASS_FROM) this.logger.log(line);
      else this.logger.debug(line);
    } catch (err) {
      this.logger.error(`reconcile failed: ${(err as Error).message}`);
    }
  }

  private async pass(): Promise<ReconcileReport> {
    // batches whose 90 % / 100 % report is due but not yet asked for (jobs that failed or were cancelled)
    for (const batchId of await this.batchReports.dueBatches()) await this.batchReports.check(batchId);
    const started = Date.now();
    const cost: PassCost = { checked: 0, enqueued: 0, pages: 0, wallMs: 0, redisMs: 0, redisRoundTrips: 0 };
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const pageStarted = Date.now();
      const jobs = await this.jobStore.pipelinePage(after, PAGE);
      if (jobs.length === 0) break;
      cost.pages++;
      cost.checked += jobs.length;
      cost.enqueued += await this.repairPage(jobs, cost);
      after = jobs[jobs.length - 1].id;
      if (jobs.length === PAGE) await sleep(Math.max(PAGE_PAUSE_MS, Date.now() - pageStarted));
    }
    cost.wallMs = Date.now() - started;
    this.lastPass = cost;
    return { checked: cost.checked, enqueued: cost.enqueued };
  }

  /** Checks one page's entries in one round trip; re-adds the missing and finished ones. Returns how many. */
  private async repairPage(jobs: PipelineJob[], cost: PassCost): Promise<number> {
    const entries = new Map<string, PipelineEntry>();
    const byQueue = new Map<Queue, string[]>();
    for (const job of jobs) {
      const entry = pipelineEntry(job);
      if (!entry) continue;
      entries.set(job.id, entry);
      const queue = this.producer.queue(entry.queue);
      byQueue.set(queue, [...(byQueue.get(queue) ?? []), job.id]);
    }
    const states = await this.redis(cost, () => entryStates(byQueue));
    const again = new Map<QueueName, { payload: QueuePayloads[QueueName]; priority?: number }[]>();
    for (const [id, entry] of entries) {
      const state = states.get(id);
      if (state === 'live') continue;
      if (state === 'finished') await this.redis(cost, () => this.producer.queue(entry.queue).remove(id));
      const payload = entry.payload as QueuePayloads[QueueName];
      again.set(entry.queue, [...(again.get(entry.queue) ?? []), { payload, priority: entry.priority }]);
    }
    for (const [queue, items] of again) await this.redis(cost, () => this.producer.enqueueMany(queue, items));
    return [...again.values()].reduce((n, items) => n + items.length, 0);
  }

  /** One Redis round trip, timed into the pass's cost. */
  private async redis<T>(cost: PassCost, call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await call();
    } finally {
      cost.redisMs += Math.round(performance.now() - started);
      cost.redisRoundTrips++;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
