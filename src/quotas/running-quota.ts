import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CommonConfig } from '../config/common.config';
import { JobStatus } from '../jobs/job-status';
import { JobStore } from '../jobs/job-store';
import { JobTransitions, type TransitionOptions } from '../jobs/job-transitions';

/** How long a job whose owner is at QUOTA_RUNNING_JOBS waits before it is looked at again. */
export const RUNNING_QUOTA_RETRY_MS = 5_000;

/** A run that must wait: its owner already runs QUOTA_RUNNING_JOBS jobs. Not a failure. */
export class RunDeferred extends Error {
  constructor(readonly delayMs: number) {
    super(`the owner runs the most jobs allowed at once; tried again in ${delayMs} ms`);
  }
}

/**
 * QUOTA_RUNNING_JOBS, for local pools and the pull API alike: a QUEUED job becomes DISPATCHED
 * only while its owner has fewer jobs DISPATCHED or RUNNING. The count and the transition run in
 * one transaction holding the owner's advisory lock, so parallel dispatches cannot both pass.
 */
@Injectable()
export class RunningQuota {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: JobTransitions,
    private readonly jobs: JobStore,
    @Inject(CommonConfig) private readonly config: CommonConfig,
  ) {}

  /** DISPATCHED, or false (nothing changed) when the owner is at the limit. */
  dispatch(job: { id: string; ownerId: string }, options: TransitionOptions): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`molq-running:${job.ownerId}`]);
      const running = await this.jobs.ownerCount(job.ownerId, [JobStatus.Dispatched, JobStatus.Running], m);
      if (running >= this.config.QUOTA_RUNNING_JOBS) return false;
      await this.transitions.transitionWithin(m, job.id, JobStatus.Dispatched, options);
      return true;
    });
  }
}
