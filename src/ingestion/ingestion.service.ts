import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { QueueProducer } from '../queueing/queue-producer';
import { runQueueFor } from '../jobs/job-routing';
import { JobStatus } from '../jobs/job-status';
import { JobTransitions } from '../jobs/job-transitions';
import { Job } from '../jobs/job.entity';

export type IngestionOutcome = 'queued' | 'requeued' | 'skipped';

/**
 * Takes a PENDING job to QUEUED and puts it on the queue that runs it. Safe to repeat: a job
 * already QUEUED is only (idempotently) enqueued again, any later state is left alone.
 */
@Injectable()
export class IngestionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: JobTransitions,
    private readonly producer: QueueProducer,
  ) {}

  async ingest(jobId: string): Promise<IngestionOutcome> {
    const { job, outcome } = await this.dataSource.transaction(async (manager) => {
      const row = await manager.findOne(Job, { where: { id: jobId }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new UnrecoverableError(`job ${jobId} does not exist`);
      if (row.status !== JobStatus.Pending) return { job: row, outcome: 'requeued' as const };
      const queued = await this.transitions.transitionWithin(manager, jobId, JobStatus.Queued, {
        actor: 'worker:ingestion',
        message: `routed to ${runQueueFor(row.type)}`,
      });
      return { job: queued, outcome: 'queued' as const };
    });
    if (job.status !== JobStatus.Queued) return 'skipped';
    await this.producer.enqueue(runQueueFor(job.type), { jobId }, { priority: job.priority });
    return outcome;
  }
}
