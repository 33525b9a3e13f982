import { Injectable, Logger } from '@nestjs/common';
import { JobPipeline } from '../jobs/job-pipeline';
import { waitingQueue } from '../jobs/job-routing';
import { JobStore } from '../jobs/job-store';
import { JobStatus } from '../jobs/job-status';
import { QueueProducer } from '../queueing/queue-producer';
import { OWNER_DISABLED } from '../quotas/running-quota';
import type { User, UserStatus } from '../users/user.entity';
import { UsersService } from '../users/users.service';

/** The statuses of a job that has not started running: a disabled owner's are cancelled. */
const WAITING: JobStatus[] = [JobStatus.Pending, JobStatus.Queued];

/**
 * An admin approving, holding or disabling an account (API, web UI, CLI). Disabling ends its
 * tokens (UsersService) and cancels its jobs that have not started (PENDING, QUEUED), each with
 * the reason on its timeline, and takes their waiting entries off the queues. Jobs already out
 * for a run finish; a dispatch that races the disable cancels the job itself (RunningQuota).
 */
@Injectable()
export class AccountStatusService {
  private readonly logger = new Logger(AccountStatusService.name);

  constructor(
    private readonly users: UsersService,
    private readonly jobs: JobStore,
    private readonly pipeline: JobPipeline,
    private readonly producer: QueueProducer,
  ) {}

  async set(email: string, status: UserStatus, actor: string): Promise<User> {
    const user = await this.users.setStatus(email, status);
    if (status === 'disabled') await this.cancelWaiting(user.id, actor);
    return user;
  }

  private async cancelWaiting(ownerId: string, actor: string): Promise<void> {
    const cancelled = await this.pipeline.advance(
      (await this.jobs.ownerJobs(ownerId, WAITING)).map((j) => j.id),
      JobStatus.Cancelled,
      {
        from: WAITING,
        actor,
        message: OWNER_DISABLED,
      },
    );
    // every stage skips a job no longer in its status: taking the entries off only spares that work
    for (const job of cancelled)
      await this.producer
        .queue(waitingQueue(job.from, job.type)!)
        .remove(job.id)
        .catch(() => 0);
    this.logger.log(`account ${ownerId} disabled: ${cancelled.length} waiting job(s) cancelled`);
  }
}
