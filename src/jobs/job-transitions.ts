import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JobEvent } from './job-event.entity';
import { canTransition, IllegalTransitionError } from './job-state-machine';
import { JOB_STATUSES, JobStatus } from './job-status';
import type { PipelineJob } from './job-routing';
import { Job } from './job.entity';

/**
 * What entering each status sets, besides the status: defined here once, applied by the one
 * statement that moves jobs (a `patch` given with the move is applied after, and wins).
 */
const SET_ON_ENTRY: Readonly<Partial<Record<JobStatus, Readonly<Record<string, string>>>>> = {
  [JobStatus.Queued]: { progress: '0' },
  [JobStatus.Running]: { started_at: 'COALESCE(j.started_at, now())' },
  [JobStatus.Completed]: { progress: '1', finished_at: 'now()' },
  [JobStatus.Failed]: { finished_at: 'now()' },
  [JobStatus.Cancelled]: { finished_at: 'now()' },
  // a retry: the new attempt starts clean (the earlier attempt's events stay on the timeline)
  [JobStatus.Pending]: {
    progress: '0',
    error: 'NULL',
    started_at: 'NULL',
    finished_at: 'NULL',
    scheduler_id: 'NULL',
    quantities: 'NULL',
    reused_from: 'NULL',
  },
};

/** Columns a move may set besides its status (the error text, a scheduler id, reused results…), with their SQL types. */
const PATCH_COLUMNS = {
  error: ['error', 'text'],
  schedulerId: ['scheduler_id', 'text'],
  progress: ['progress', 'real'],
  reusedFrom: ['reused_from', 'uuid'],
  inputHash: ['input_hash', 'text'],
  engineVersion: ['engine_version', 'text'],
  quantities: ['quantities', 'jsonb'],
} as const;

export type TransitionPatch = Partial<Pick<Job, keyof typeof PATCH_COLUMNS>>;

export class JobNotFoundError extends Error {
  constructor(readonly jobId: string) {
    super(`job ${jobId} not found`);
    this.name = 'JobNotFoundError';
  }
}

export interface AdvanceOptions {
  /** The statuses a job may be moved from; others are left as they are. Default: every status the state machine lets go to `to`. */
  from?: JobStatus | readonly JobStatus[];
  /** Who causes it, e.g. "user:<id>", "worker:ingestion", "reconciler". */
  actor: string;
  /** The event's message: one for all, or one per job id. */
  message?: string | ReadonlyMap<string, string>;
  patch?: TransitionPatch;
}

/** A job a move took: its row as the pipeline needs it, in its new status, and the status it left. */
export interface MovedJob extends PipelineJob {
  from: JobStatus;
}

/** The statuses `to` may be entered from, checked against the state machine (a forbidden one is a programming error). */
function sourcesOf(to: JobStatus, from: AdvanceOptions['from'], firstId: string): JobStatus[] {
  if (from === undefined) return JOB_STATUSES.filter((s) => canTransition(s, to));
  const list = typeof from === 'string' ? [from] : [...from];
  for (const s of list) if (!canTransition(s, to)) throw new IllegalTransitionError(firstId, s, to);
  return list;
}

/**
 * The only writer of jobs.status, used by JobPipeline alone. A move is one conditional statement
 * for any number of jobs: the rows still in one of the `from` statuses are locked in id order (so
 * concurrent moves cannot deadlock), updated with what their new status sets, and given one
 * job_events row each; what moved is returned. A job in another status is left untouched, so a stage
 * never reads a status and then decides: the statement does both under the row lock.
 */
@Injectable()
export class JobTransitions {
  /** Inserts new jobs (PENDING) and their first events (an entry's own message, else `message`): two multi-row inserts. */
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

  /** Moves every listed job still in a `from` status to `to`, in the caller's transaction; returns the jobs that moved. */
  async advance(manager: EntityManager, ids: string[], to: JobStatus, options: AdvanceOptions): Promise<MovedJob[]> {
    if (ids.length === 0) return [];
    const from = sourcesOf(to, options.from, ids[0]);
    const params: unknown[] = [ids, from, to, options.actor];
    const sets: Record<string, string> = { ...SET_ON_ENTRY[to] };
    for (const [key, value] of Object.entries(options.patch ?? {})) {
      const [column, type] = PATCH_COLUMNS[key as keyof typeof PATCH_COLUMNS];
      params.push(type === 'jsonb' && value !== null ? JSON.stringify(value) : value);
      sets[column] = `$${params.length}::${type}`;
    }
    const message = options.message;
    params.push(typeof message === 'string' || message === undefined ? (message ?? null) : null);
    const messageParam = `$${params.length}::text`;
    params.push(typeof message === 'object' ? [...message.keys()] : []);
    params.push(typeof message === 'object' ? [...message.values()] : []);
    const perJob = `(SELECT m FROM unnest($${params.length - 1}::uuid[], $${params.length}::text[]) AS u(i, m) WHERE u.i = moved.id)`;
    const assignments = Object.entries(sets).map(([column, sql]) => `, ${column} = ${sql}`);
    const rows: (Omit<MovedJob, 'from'> & { from_status: JobStatus })[] = await manager.query(
      `WITH locked AS (
         SELECT id, status AS from_status FROM jobs
          WHERE id = ANY($1::uuid[]) AND status = ANY($2::text[]) ORDER BY id FOR UPDATE
       ), moved AS (
         UPDATE jobs j SET status = $3, updated_at = now()${assignments.join('')}
           FROM locked WHERE j.id = locked.id
         RETURNING j.id, locked.from_status, j.status, j.type, j.engine, j.owner_id AS "ownerId", j.name, j.priority
       ), events AS (
         INSERT INTO job_events (job_id, from_status, to_status, actor, message)
         SELECT moved.id, moved.from_status, $3, $4, COALESCE(${perJob}, ${messageParam}) FROM moved
       )
       SELECT * FROM moved`,
      params,
    );
    return rows.map(({ from_status, ...job }) => ({ ...job, from: from_status }));
  }

  /** Why a single job did not move: IllegalTransitionError naming its status, or JobNotFoundError. */
  async whyNotMoved(manager: EntityManager, jobId: string, to: JobStatus): Promise<never> {
    const [row] = (await manager.query('SELECT status FROM jobs WHERE id = $1', [jobId])) as { status: JobStatus }[];
    if (!row) throw new JobNotFoundError(jobId);
    throw new IllegalTransitionError(jobId, row.status, to);
  }
}
