import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { JobEvent } from './job-event.entity';
import { assertTransition, isFinal } from './job-state-machine';
import { JobStatus } from './job-status';
import { Job } from './job.entity';

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
  /** Column changes that belong to this transition (error text, scheduler id…). */
  patch?: Partial<Pick<Job, 'error' | 'schedulerId' | 'progress'>>;
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
    job.status = JobStatus.Pending;
    const saved = await manager.save(Job, job);
    await manager.insert(JobEvent, { jobId: saved.id, fromStatus: null, toStatus: JobStatus.Pending, actor, message: 'submitted' });
    return saved;
  }

  /** Inserts many new jobs (PENDING) and their first events with two multi-row inserts. */
  async createMany(manager: EntityManager, jobs: Job[], actor: string, message = 'submitted'): Promise<void> {
    if (jobs.length === 0) return;
    for (const job of jobs) job.status = JobStatus.Pending;
    await manager.insert(Job, jobs);
    await manager.insert(
      JobEvent,
      jobs.map((j) => ({ jobId: j.id, fromStatus: null, toStatus: JobStatus.Pending, actor, message })),
    );
  }

  async transition(jobId: string, to: JobStatus, options: TransitionOptions): Promise<Job> {
    return this.dataSource.transaction((manager) => this.transitionWithin(manager, jobId, to, options));
  }

  /** Same as transition, inside a transaction the caller already holds. */
  async transitionWithin(manager: EntityManager, jobId: string, to: JobStatus, options: TransitionOptions): Promise<Job> {
    const job = await manager.findOne(Job, { where: { id: jobId }, lock: { mode: 'pessimistic_write' } });
    if (!job) throw new JobNotFoundError(jobId);
    const from = job.status;
    assertTransition(jobId, from, to);

    const now = new Date();
    const changes: Partial<Pick<Job, 'status' | 'error' | 'schedulerId' | 'progress' | 'startedAt' | 'finishedAt'>> = {
      status: to,
      ...options.patch,
    };
    if (to === JobStatus.Running && !job.startedAt) changes.startedAt = now;
    if (to === JobStatus.Queued) changes.progress = 0;
    if (isFinal(to)) changes.finishedAt = now;
    if (to === JobStatus.Completed) changes.progress = 1;
    await manager.update(Job, { id: jobId }, changes);
    await manager.insert(JobEvent, { jobId, fromStatus: from, toStatus: to, actor: options.actor, message: options.message ?? null });
    return Object.assign(job, changes);
  }
}
