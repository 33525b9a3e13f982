import { Injectable, Logger } from '@nestjs/common';
import { QueueName } from '../../queues';
import type { BatchReportStage } from '../../queues/reports.queue';
import { batchKeys } from '../storage/job-keys';
import { BatchStore } from '../batches/batch-store';
import { FINAL_STATUSES } from '../jobs/job-status';
import { QueueProducer } from '../queueing/queue-producer';
import { Storage } from '../storage/storage';
import { batchPlotData } from './batch-plot';
import { batchReportHtml, type BatchRow } from './batch-report-html';
import { linePlot } from './plots';

/** Share of a batch's jobs that must have finished for the first (partial) report. */
export const PARTIAL_SHARE = 0.9;

/**
 * Batch reports: when 90 % of a batch's jobs have finished (COMPLETED, FAILED or CANCELLED)
 * a partial report is written, and a final one when all have: a table of every job's key
 * numbers and a summary plot. `check` is cheap and idempotent; it is called when a job of
 * the batch finishes and by the master's reconciler sweep, and enqueues each stage once.
 */
@Injectable()
export class BatchReportService {
  private readonly logger = new Logger(BatchReportService.name);

  constructor(
    private readonly batches: BatchStore,
    private readonly producer: QueueProducer,
    private readonly storage: Storage,
  ) {}

  async check(batchId: string): Promise<BatchReportStage[]> {
    const batch = await this.batches.progress(batchId);
    if (!batch) return [];
    const due: BatchReportStage[] = [];
    if (batch.finished >= Math.ceil(PARTIAL_SHARE * batch.total) && !batch.partialAt) due.push('partial');
    if (batch.finished === batch.total && !batch.finalAt) due.push('final');
    for (const stage of due) await this.producer.enqueue(QueueName.Reports, { batchId, stage });
    return due;
  }

  /** Batches whose next report is due (for the reconciler's sweep). */
  dueBatches(): Promise<string[]> {
    return this.batches.reportsDue(PARTIAL_SHARE);
  }

  async write(batchId: string, stage: BatchReportStage): Promise<'written' | 'skipped'> {
    const batch = await this.batches.get(batchId);
    if (!batch || batch.reportFinalAt || (stage === 'partial' && batch.reportPartialAt)) return 'skipped';
    const rows: BatchRow[] = [];
    for (const j of await this.batches.reportJobs(batchId)) {
      const summary = j.reportKey
        ? (JSON.parse((await this.storage.read(j.reportKey)).toString('utf8')).summary as BatchRow['summary'])
        : {};
      rows.push({ jobId: j.id, name: j.name, labels: j.labels ?? {}, engine: j.engine, status: j.status, summary });
    }
    // a scan is plotted against its own coordinate (a label every job has as a number), else in submission order
    const data = batchPlotData(rows);
    const x = data.xLabel ?? 'job (submission order)';
    const plot =
      data.points.length > 0
        ? await linePlot(
            data.xLabel ? `${data.y} against ${data.xLabel}` : `${data.y} per job`,
            x,
            data.y,
            data.points.map((p) => ({ x: p.x, y: p.y })),
          )
        : null;
    const finished = rows.filter((r) => FINAL_STATUSES.includes(r.status as never)).length;
    const report = {
      batchId,
      name: batch.name,
      stage,
      jobCount: batch.jobCount,
      finished,
      rows,
      plot: { x, y: data.y, points: data.points },
    };
    await this.storage.put(
      batchKeys.report(batchId, stage, 'json'),
      Buffer.from(`${JSON.stringify(report, null, 2)}\n`),
    );
    await this.storage.put(batchKeys.report(batchId, stage, 'html'), Buffer.from(batchReportHtml(report, plot)));
    await this.batches.markReported(batchId, stage);
    this.logger.log(`batch ${batchId}: ${stage} report with ${finished}/${batch.jobCount} finished`);
    return 'written';
  }
}
