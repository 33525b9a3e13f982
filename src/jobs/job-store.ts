import { Injectable } from '@nestjs/common';
import { DataSource, In, MoreThan, type EntityManager } from 'typeorm';
import { JobStatus } from './job-status';
import { PIPELINE_STATUSES, type PipelineJob } from './job-routing';
import { JobEvent } from './job-event.entity';
import { Job } from './job.entity';

/**
 * Reads of the jobs table and the writes that are not a status change (those are JobTransitions'
 * alone): a stage reads its job here and records what it learnt here, so the import graph shows who
 * touches jobs. Writes that belong to a transition take the caller's transaction.
 */
@Injectable()
export class JobStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The job, or only the given columns of it (a bridge's heartbeat reads five). */
  get(id: string, columns?: (keyof Job)[]): Promise<Job | null> {
    return this.dataSource.getRepository(Job).findOne({ where: { id }, ...(columns ? { select: columns } : {}) });
  }

  /** The job if it is this owner's (another user's job is simply not found). */
  owned(ownerId: string, id: string): Promise<Job | null> {
    return this.dataSource.getRepository(Job).findOneBy({ id, ownerId });
  }

  async status(id: string): Promise<JobStatus | undefined> {
    const [row] = await this.dataSource.query('SELECT status FROM jobs WHERE id = $1', [id]);
    return row?.status;
  }

  async batchOf(id: string): Promise<string | null> {
    const [row] = await this.dataSource.query('SELECT batch_id FROM jobs WHERE id = $1', [id]);
    return row?.batch_id ?? null;
  }

  /** The scheduler id and progress of a job out for a run, in one statement; null leaves a column as it is. */
  async setRunProgress(id: string, progress: number | null, schedulerId: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE jobs SET scheduler_id = COALESCE($2, scheduler_id),
         progress = CASE WHEN $3::real IS NOT NULL AND status IN ('DISPATCHED', 'RUNNING') THEN $3::real ELSE progress END
       WHERE id = $1`,
      [id, schedulerId, progress],
    );
  }

  /** Each ingested job's input hash (with the PENDING → QUEUED transition). */
  async setInputHashes(m: EntityManager, ids: string[], hashes: string[]): Promise<void> {
    await m.query(
      `UPDATE jobs SET input_hash = h.input_hash FROM unnest($1::uuid[], $2::text[]) AS h(id, input_hash)
        WHERE jobs.id = h.id`,
      [ids, hashes],
    );
  }

  /** The first QUEUED jobs of these types, most urgent and oldest first (a bridge's view of what waits). */
  queuedOfTypes(types: Job['type'][], limit: number): Promise<Job[]> {
    return this.dataSource.getRepository(Job).find({
      select: { id: true, type: true, engine: true, priority: true, createdAt: true },
      where: types.map((type) => ({ status: JobStatus.Queued, type })),
      order: { priority: 'ASC', createdAt: 'ASC' },
      take: limit,
    });
  }

  /** Up to `limit` jobs that some queue entry should move on (not final), in id order after `after` (the reconciler's page). */
  pipelinePage(after: string, limit: number): Promise<PipelineJob[]> {
    return this.dataSource.getRepository(Job).find({
      select: { id: true, status: true, type: true, priority: true, engine: true, ownerId: true, name: true },
      where: { status: In(PIPELINE_STATUSES), id: MoreThan(after) },
      order: { id: 'ASC' },
      take: limit,
    });
  }

  /**
   * The newest of an owner's COMPLETED jobs of this engine and input hash that ran itself (not reused),
   * by an engine version not barred from reuse — and one of `versions` when given (the versions that
   * would run now) — with what its report read; COMPLETED is final, so it stays so.
   */
  async reuseOrigin(
    ownerId: string,
    engine: Job['engine'],
    inputHash: string,
    versions: string[] = [],
  ): Promise<Pick<Job, 'id' | 'engineVersion' | 'quantities'> | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT j.id, j.engine_version AS "engineVersion", j.quantities FROM jobs j
        WHERE j.owner_id = $1 AND j.input_hash = $2 AND j.status = 'COMPLETED' AND j.engine = $3
          AND j.reused_from IS NULL
          AND ($4::text[] IS NULL OR j.engine_version = ANY($4::text[]))
          AND NOT EXISTS (SELECT 1 FROM reuse_blocked_versions b
                           WHERE b.engine = j.engine AND b.engine_version = j.engine_version)
        ORDER BY j.finished_at DESC LIMIT 1`,
      [ownerId, inputHash, engine, versions.length > 0 ? versions : null],
    );
    return row;
  }

  /** The job's timeline: every status move, oldest first. */
  events(id: string): Promise<JobEvent[]> {
    return this.dataSource.getRepository(JobEvent).find({ where: { jobId: id }, order: { id: 'ASC' } });
  }

  /** Whether the job exists (in the caller's transaction when given one). */
  async exists(id: string, m: EntityManager = this.dataSource.manager): Promise<boolean> {
    const [row] = await m.query('SELECT EXISTS (SELECT 1 FROM jobs WHERE id = $1) AS found', [id]);
    return row.found;
  }

  /** How many of an owner's jobs are in these statuses (in the caller's transaction when given one: a quota's check). */
  async ownerCount(
    ownerId: string,
    statuses: JobStatus[],
    m: EntityManager = this.dataSource.manager,
  ): Promise<number> {
    const [{ n }] = await m.query('SELECT count(*)::int AS n FROM jobs WHERE owner_id = $1 AND status = ANY($2)', [
      ownerId,
      statuses,
    ]);
    return n;
  }

  /** An owner's jobs in these statuses (id and type: enough to find their queue entries). */
  ownerJobs(ownerId: string, statuses: JobStatus[]): Promise<Pick<Job, 'id' | 'type'>[]> {
    return this.dataSource.getRepository(Job).find({
      select: { id: true, type: true },
      where: { ownerId, status: In(statuses) },
    });
  }

  /** Every job counted by status (statuses with none left out). */
  async statusCounts(): Promise<{ status: JobStatus; n: number }[]> {
    const rows: { status: JobStatus; n: number }[] = await this.dataSource.query(
      'SELECT status, count(*)::int AS n FROM jobs GROUP BY status',
    );
    return rows;
  }

  /** QUEUED jobs per owner (for fair priorities). */
  async queuedByOwner(owners: string[]): Promise<Map<string, number>> {
    const rows: { owner_id: string; n: string }[] = await this.dataSource.query(
      `SELECT owner_id, count(*) AS n FROM jobs WHERE status = 'QUEUED' AND owner_id = ANY($1) GROUP BY owner_id`,
      [owners],
    );
    return new Map(rows.map((r) => [r.owner_id, Number(r.n)]));
  }
}
