import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { JobEvent } from './job-event.entity';
import { assertTransition, canTransition, isFinal } from './job-state-machine';
import { JobStatus } from './job-status';
import { Job } from './job.entity';

/** Column changes on entering a state, as SQL (the batch path of the same rules as transitionWithin). */
const SET_ON_ENTRY: Partial<Record<JobStatus, string>> = {
  [JobStatus.Queued]: 'progress = 0',
  [JobStatus.Running]: 'started_at = COALESCE(started_at, now())',
  [JobStatus.Completed]: 'progress = 1, finished_at = now()',
  [JobStatus.Failed]: 'finished_at = now()',
  [JobStatus.Cancelled]: 'finished_at = now()',
  // a retry: the new attempt starts clean (the earlier attempt's events stay on the timeline)
  [JobStatus.Pending]:
    'progress = 0, error = NULL, started_at = NULL, finished_at = NULL, scheduler_id = NULL, quantities = NULL, reused_from = NULL',
};

export class JobNotFoundError extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId} not found`);
    this.name = 'JobNotFoundError';
  }
}

export interface TransitionOptions {
  /** Who causes it, e.g. "user:<id>", "worker:ingestion", "reconciler". */
  actor: string;
  message?: string;
  /** Column changes that belong to this transition (error text, scheduler id, reused results…). */
  patch?: Partial<
    Pick<Job, 'error' | 'schedulerId' | 'progress' | 'reusedFrom' | 'inputHash' | 'engineVersion' | 'quantities'>
  >;
}

/**
 * The only writer of jobs.status. Each transition locks the row, checks the state machine,
 * updates the job and writes exactly one job_events row, all in one transaction.
 */
@Injectable()
export class JobTransitions {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts a new job (PENDING) and its first event, inside the caller's transaction. */
  async create(manager: EntityManager, job: Job, actor: string): Promise<Job> {
    await this.createMany(manager, [{ job, actor }]);
    return job;
  }

  /** Inserts many new jobs (PENDING) and their first events (an entry's own message, else `message`) with two multi-row inserts. */
  async createMany(
    manager: EntityManager,
    entries: { job: Job; actor: string; message?: string }[],
    message = 'submitted',
  ): Promise<void> {
    if (entries.length === 0) return;
    for (const { job } of entries) job.status = JobStatus.Pending;
    await manager.insert(
      Job,
      entries.map((e) => e.job),
    );
    await manager.insert(
      JobEvent,
      entries.map((e) => ({
        jobId: e.job.id,
        fromStatus: null,
        toStatus: JobStatus.Pending,
        actor: e.actor,
        message: e.message ?? message,
      })),
    );
  }

  /**
   * Moves every listed job that may legally go to `to` (others are left as they are), with one
   * event each, in the caller's transaction. Rows are locked in id order, so concurrent batches
   * cannot deadlock. Returns the ids that moved.
   */
  async transitionMany(
    manager: EntityManager,
    ids: string[],
    to: JobStatus,
    actor: string,
    messages: Map<string, string>,
  ): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows: { id: string; status: JobStatus }[] = await manager.query(
      'SELECT id, status FROM jobs WHERE id = ANY($1) ORDER BY id FOR UPDATE',
      [ids],
    );
    const moving = rows.filter((r) => canTransition(r.status, to));
    if (moving.length === 0) return [];
    const movingIds = moving.map((r) => r.id);
    await manager.query(
      `UPDATE jobs SET status = $2, updated_at = now(), ${SET_ON_ENTRY[to] ?? 'status = status'} WHERE id = ANY($1)`,
      [movingIds, to],
    );
    await manager.query(
      `INSERT INTO job_events (job_id, from_status, to_status, actor, message)
       SELECT unnest($1::uuid[]), unnest($2::text[]), $3, $4, unnest($5::text[])`,
      [movingIds, moving.map((r) => r.status), to, actor, movingIds.map((id) => messages.get(id) ?? null)],
    );
    return movingIds;
  }

  async transition(jobId: string, to: JobStatus, options: TransitionOptions): Promise<Job> {
    return this.dataSource.transaction((manager) => this.transitionWithin(manager, jobId, to, options));
  }

  /** Same as transition, inside a transaction the caller already holds. */
  async transitionWithin(
    manager: EntityManager,
    jobId: string,
    to: JobStatus,
    options: TransitionOptions,
  ): Promise<Job> {
    const job = await manager.findOne(Job, { where: { id: jobId }, lock: { mode: 'pessimistic_write' } });
    if (!job) throw new JobNotFoundError(jobId);
    const from = job.status;
    assertTransition(jobId, from, to);

    // keep in step with SET_ON_ENTRY above
    const now = new Date();
    const changes: Partial<Job> = {
      status: to,
      ...options.patch,
    };
    if (to === JobStatus.Running && !job.startedAt) changes.startedAt = now;
    if (to === JobStatus.Queued) changes.progress = 0;
    if (isFinal(to)) changes.finishedAt = now;
    if (to === JobStatus.Completed) changes.progress = 1;
    if (to === JobStatus.Pending)
      Object.assign(changes, {
        progress: 0,
        error: null,
        startedAt: null,
        finishedAt: null,
        schedulerId: null,
        quantities: null,
        reusedFrom: null,
      });
    await manager.update(Job, { id: jobId }, changes);
    await manager.insert(JobEvent, {
      jobId,
      fromStatus: from,
      toStatus: to,
      actor: options.actor,
      message: options.message ?? null,
    });
    return Object.assign(job, changes);
  }
}
