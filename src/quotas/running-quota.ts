import { Inject, Injectable } from '@nestjs/common';
import { CommonConfig } from '../config/common.config';
import { JobPipeline } from '../jobs/job-pipeline';
import { JobStatus } from '../jobs/job-status';
import { JobStore } from '../jobs/job-store';
import type { AdvanceOptions } from '../jobs/job-transitions';
import { UsersService } from '../users/users.service';

/** How long a job whose owner is at QUOTA_RUNNING_JOBS waits before it is looked at again. */
export const RUNNING_QUOTA_RETRY_MS = 5_000;

/** A run that must wait: its owner already runs QUOTA_RUNNING_JOBS jobs. Not a failure. */
export class RunDeferred extends Error {
  constructor(
    readonly delayMs: number,
    reason = 'the owner runs the most jobs allowed at once',
    /** The pool's own fairness deferred it: the slot waits for one of the pool's runs to end before taking more. */
    readonly forPoolShare = false,
  ) {
    super(`${reason}; tried again in ${delayMs} ms`);
  }
}

/** What a job whose owner was disabled before it ran says on its timeline. */
export const OWNER_DISABLED = "cancelled: its owner's account disabled";

/**
 * QUOTA_RUNNING_JOBS, for local pools and the pull API alike: a QUEUED job becomes DISPATCHED
 * only while its owner has fewer jobs DISPATCHED or RUNNING. The count and the transition run in
 * one transaction holding the owner's advisory lock, so parallel dispatches cannot both pass.
 * It is also where every run starts, so a job whose owner is no longer active is cancelled here
 * instead when its owner is disabled (a disable that raced the job's cancel, or one made straight in the database).
 */
@Injectable()
export class RunningQuota {
  constructor(
    private readonly pipeline: JobPipeline,
    private readonly jobs: JobStore,
    private readonly users: UsersService,
    @Inject(CommonConfig) private readonly config: CommonConfig,
  ) {}

  /**
   * DISPATCHED (a job still DISPATCHED/RUNNING from a lost run goes back to QUEUED first, as `lost`
   * says); or false when the owner is at the limit or disabled (the job CANCELLED, so its entry,
   * taken again, is skipped), or the job is no longer out for a run.
   */
  dispatch(
    job: { id: string; ownerId: string },
    options: Omit<AdvanceOptions, 'from'>,
    lost: AdvanceOptions,
  ): Promise<boolean> {
    return this.pipeline.transaction(async (tx) => {
      await tx.advance([job.id], JobStatus.Queued, { ...lost, enqueue: false }); // its entry is the one being taken
      if ((await this.users.statusWithin(tx.manager, job.ownerId)) === 'disabled') {
        await tx.advance([job.id], JobStatus.Cancelled, {
          from: JobStatus.Queued,
          actor: options.actor,
          message: OWNER_DISABLED,
        });
        return false;
      }
      await tx.manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`molq-running:${job.ownerId}`]);
      const running = await this.jobs.ownerCount(job.ownerId, [JobStatus.Dispatched, JobStatus.Running], tx.manager);
      if (running >= this.config.QUOTA_RUNNING_JOBS) return false;
      const moved = await tx.advance([job.id], JobStatus.Dispatched, { ...options, from: JobStatus.Queued });
      return moved.length > 0;
    });
  }
}
