import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { QueueName } from '../../queues';
import type { BatchReportStage } from '../../queues/reports.queue';
import { batchKeys } from '../storage/job-keys';
import { Batch } from '../batches/batch.entity';
import { FINAL_STATUSES } from '../jobs/job-status';
import { QueueProducer } from '../queueing/queue-producer';
import { Storage } from '../storage/storage';
import { batchReportHtml, type BatchRow } from './batch-report-html';
import { linePlot } from './plots';

/** The energy a batch's summary plot shows, the first that its jobs report (labels as report-builder writes them). */
const ENERGY_LABELS = ['total energy', 'final SCF energy', 'final TotEng', 'minimised energy'];

/** The summary key ("label (unit)") of the first energy label some job reports as a number. */
function energyKeyOf(rows: BatchRow[]): string | undefined {
  const numericKeys = new Set(
    rows.flatMap((r) => Object.keys(r.summary).filter((k) => typeof r.summary[k] === 'number')),
  );
  for (const label of ENERGY_LABELS) {
    const key = [...numericKeys].find((k) => k === label || k.startsWith(`${label} (`));
    if (key) return key;
  }
  return undefined;
}

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
    private readonly dataSource: DataSource,
    private readonly producer: QueueProducer,
    private readonly storage: Storage,
  ) {}

  async check(batchId: string): Promise<BatchReportStage[]> {
    const [row] = await this.dataSource.query(
      `SELECT b.job_count AS total, b.report_partial_at, b.report_final_at,
              (SELECT count(*)::int FROM jobs j WHERE j.batch_id = b.id AND j.status = ANY($2)) AS finished
         FROM batches b WHERE b.id = $1`,
      [batchId, FINAL_STATUSES],
    );
    if (!row) return [];
    const due: BatchReportStage[] = [];
    if (row.finished >= Math.ceil(PARTIAL_SHARE * row.total) && !row.report_partial_at) due.push('partial');
    if (row.finished === row.total && !row.report_final_at) due.push('final');
    for (const stage of due) await this.producer.enqueue(QueueName.Reports, { batchId, stage });
    return due;
  }

  /** Batches whose next report is due (for the reconciler's sweep). */
  async dueBatches(): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT b.id FROM batches b
        WHERE b.report_final_at IS NULL
          AND (SELECT count(*) FROM jobs j WHERE j.batch_id = b.id AND j.status = ANY($1)) >= ceil($2::float8 * b.job_count)`,
      [FINAL_STATUSES, PARTIAL_SHARE],
    );
    return rows.map((r) => r.id);
  }

  async write(batchId: string, stage: BatchReportStage): Promise<'written' | 'skipped'> {
    const batch = await this.dataSource.getRepository(Batch).findOneBy({ id: batchId });
    if (!batch || batch.reportFinalAt || (stage === 'partial' && batch.reportPartialAt)) return 'skipped';
    const jobs: { id: string; name: string | null; engine: string; status: string; storage_key: string | null }[] =
      await this.dataSource.query(
        `SELECT j.id, j.name, j.engine, j.status, a.storage_key
         FROM jobs j LEFT JOIN artifacts a ON a.job_id = j.id AND a.kind = 'report' AND a.name = 'report.json'
        WHERE j.batch_id = $1 ORDER BY j.created_at, j.id`,
        [batchId],
      );
    const rows: BatchRow[] = [];
    for (const j of jobs) {
      const summary = j.storage_key
        ? (JSON.parse((await this.storage.read(j.storage_key)).toString('utf8')).summary as BatchRow['summary'])
        : {};
      rows.push({ jobId: j.id, name: j.name, engine: j.engine, status: j.status, summary });
    }
    const energyKey = energyKeyOf(rows) ?? 'total energy (Eh)';
    const points = rows
      .map((r, i) => ({ x: i + 1, y: r.summary[energyKey] }))
      .filter((p): p is { x: number; y: number } => typeof p.y === 'number');
    const plot =
      points.length > 0 ? await linePlot(`${energyKey} per job`, 'job (submission order)', energyKey, points) : null;
    const finished = rows.filter((r) => FINAL_STATUSES.includes(r.status as never)).length;
    const report = { batchId, name: batch.name, stage, jobCount: batch.jobCount, finished, rows };
    await this.storage.put(
      batchKeys.report(batchId, stage, 'json'),
      Buffer.from(`${JSON.stringify(report, null, 2)}\n`),
    );
    await this.storage.put(batchKeys.report(batchId, stage, 'html'), Buffer.from(batchReportHtml(report, plot)));
    await this.dataSource.query(
      `UPDATE batches SET ${stage === 'final' ? 'report_final_at' : 'report_partial_at'} = now() WHERE id = $1`,
      [batchId],
    );
    this.logger.log(`batch ${batchId}: ${stage} report with ${finished}/${batch.jobCount} finished`);
    return 'written';
  }
}
