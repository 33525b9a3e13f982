import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { BatchReportStage } from '../../queues/reports.queue';
import type { JobLabels } from '../jobs/job-labels';
import { FINAL_STATUSES, JOB_STATUSES, type JobStatus } from '../jobs/job-status';
import type { Quantity } from '../results/quantities';
import { Batch } from './batch.entity';

/** How far a batch has got: its size, how many of its jobs are final, and which reports were written. */
export interface BatchProgress {
  total: number;
  finished: number;
  partialAt: Date | null;
  finalAt: Date | null;
}

/** One job of a batch as its report lists it, with the storage key of its report.json (null before it has one). */
export interface BatchReportJob {
  id: string;
  name: string | null;
  engine: string;
  status: JobStatus;
  labels: JobLabels;
  reportKey: string | null;
}

/** One job of a batch as its export reads it; `position` is its place in the submission (-1 when it has none). */
export interface BatchJobRow {
  id: string;
  name: string | null;
  status: string;
  engine: string;
  engine_version: string | null;
  labels: JobLabels;
  spec: unknown;
  quantities: Quantity[] | null;
  error: string | null;
  position: number;
}

/**
 * A batch's jobs in the order they were submitted: by batch_index, then id (a batch submitted before
 * jobs had a position keeps its id order). The expression matches jobs_batch_position_idx.
 */
const SUBMISSION_ORDER = 'COALESCE(batch_index, -1)';

/**
 * The batches table: a bulk submission's row (made in the submission's transaction), its owner's
 * reads, its jobs counted by status, and when its 90 % and final reports were written. Who reads or
 * writes batches shows in the import graph through this store.
 */
@Injectable()
export class BatchStore {
  constructor(private readonly dataSource: DataSource) {}

  /** A new batch, in the caller's transaction (with its jobs). */
  async create(m: EntityManager, batch: Pick<Batch, 'id' | 'ownerId' | 'name' | 'jobCount'>): Promise<void> {
    await m.insert(Batch, batch);
  }

  get(id: string): Promise<Batch | null> {
    return this.dataSource.getRepository(Batch).findOneBy({ id });
  }

  /** The batch if it is this owner's (another user's batch is simply not found). */
  owned(ownerId: string, id: string): Promise<Batch | null> {
    return this.dataSource.getRepository(Batch).findOneBy({ id, ownerId });
  }

  /** How many of the batch's jobs are in each status (every status present, 0 when none). */
  async statusCounts(id: string): Promise<Record<JobStatus, number>> {
    const rows: { status: JobStatus; n: string }[] = await this.dataSource.query(
      'SELECT status, count(*) AS n FROM jobs WHERE batch_id = $1 GROUP BY status',
      [id],
    );
    const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }

  async progress(id: string): Promise<BatchProgress | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT b.job_count AS total, b.report_partial_at AS "partialAt", b.report_final_at AS "finalAt",
              (SELECT count(*)::int FROM jobs j WHERE j.batch_id = b.id AND j.status = ANY($2)) AS finished
         FROM batches b WHERE b.id = $1`,
      [id, FINAL_STATUSES],
    );
    return row;
  }

  /** Batches with no final report yet and at least `share` of their jobs final (a report may be due). */
  async reportsDue(share: number): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT b.id FROM batches b
        WHERE b.report_final_at IS NULL
          AND (SELECT count(*) FROM jobs j WHERE j.batch_id = b.id AND j.status = ANY($1)) >= ceil($2::float8 * b.job_count)`,
      [FINAL_STATUSES, share],
    );
    return rows.map((r) => r.id);
  }

  /** The batch's jobs in submission order, each with its report's storage key. */
  reportJobs(id: string): Promise<BatchReportJob[]> {
    return this.dataSource.query(
      `SELECT j.id, j.name, j.engine, j.status, j.labels, a.storage_key AS "reportKey"
         FROM jobs j LEFT JOIN artifacts a ON a.job_id = j.id AND a.kind = 'report' AND a.name = 'report.json'
        WHERE j.batch_id = $1 ORDER BY COALESCE(j.batch_index, -1), j.id`,
      [id],
    );
  }

  /** Up to `limit` of the batch's jobs in submission order, after the keyset `after` ([position, id] of the last row read). */
  jobsPage(id: string, after: [number, string] | null, limit: number): Promise<BatchJobRow[]> {
    return this.dataSource.query(
      `SELECT id, name, status, engine, engine_version, labels, spec, quantities, error, ${SUBMISSION_ORDER} AS position
         FROM jobs WHERE batch_id = $1 ${after ? `AND (${SUBMISSION_ORDER}, id) > ($2::int, $3::uuid)` : ''}
        ORDER BY ${SUBMISSION_ORDER}, id LIMIT ${Number(limit)}`,
      after ? [id, ...after] : [id],
    );
  }

  async markReported(id: string, stage: BatchReportStage): Promise<void> {
    await this.dataSource.query(
      `UPDATE batches SET ${stage === 'final' ? 'report_final_at' : 'report_partial_at'} = now() WHERE id = $1`,
      [id],
    );
  }

  /** Jobs of these batches run again: their final reports are due anew (in the caller's transaction). */
  async reopenFinalReports(m: EntityManager, ids: string[]): Promise<void> {
    if (ids.length > 0) await m.query('UPDATE batches SET report_final_at = NULL WHERE id = ANY($1)', [ids]);
  }
}
