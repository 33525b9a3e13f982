import { Injectable } from '@nestjs/common';
import { JobPipeline } from '../jobs/job-pipeline';
import { waitingQueue } from '../jobs/job-routing';
import { JobStatus } from '../jobs/job-status';
import { QueueProducer } from '../queueing/queue-producer';
import { JobsQueryService } from './jobs-query.service';

/** A user's cancel: the job becomes CANCELLED; waiting work is taken off its queue. */
@Injectable()
export class JobCancellationService {
  constructor(
    private readonly query: JobsQueryService,
    private readonly pipeline: JobPipeline,
    private readonly producer: QueueProducer,
  ) {}

  async cancel(ownerId: string, id: string): Promise<{ id: string; status: JobStatus }> {
    await this.query.owned(ownerId, id); // 404 unless the caller owns it
    const [job] = await this.pipeline.advance(id, JobStatus.Cancelled, {
      actor: `user:${ownerId}`,
      message: 'cancelled by owner',
      strict: true, // a finished job: 409 naming its status
    });
    const queue = waitingQueue(job.from, job.type);
    // A running job's executor learns of the cancel itself; waiting work is simply removed.
    if (queue)
      await this.producer
        .queue(queue)
        .remove(id)
        .catch(() => 0);
    return { id, status: job.status };
  }
}
