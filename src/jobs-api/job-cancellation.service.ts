import { Injectable } from '@nestjs/common';
import { expectedQueue } from '../jobs/job-routing';
import { JobStatus } from '../jobs/job-status';
import { JobTransitions } from '../jobs/job-transitions';
import { QueueProducer } from '../queueing/queue-producer';
import { JobsQueryService } from './jobs-query.service';

/** A user's cancel: the job becomes CANCELLED; waiting work is taken off its queue. */
@Injectable()
export class JobCancellationService {
  constructor(
    private readonly query: JobsQueryService,
    private readonly transitions: JobTransitions,
    private readonly producer: QueueProducer,
  ) {}

  async cancel(ownerId: string, id: string): Promise<{ id: string; status: JobStatus }> {
    const before = await this.query.owned(ownerId, id);
    const job = await this.transitions.transition(id, JobStatus.Cancelled, {
      actor: `user:${ownerId}`,
      message: 'cancelled by owner',
    });
    const queue = expectedQueue(before.status, before.type);
    // A running job's executor learns of the cancel itself; waiting work is simply removed.
    if (queue)
      await this.producer
        .queue(queue)
        .remove(id)
        .catch(() => 0);
    return { id, status: job.status };
  }
}
