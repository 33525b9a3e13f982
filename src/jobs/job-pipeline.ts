import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { QueueName, QueuePayloads } from '../../queues';
import { QueueProducer } from '../queueing/queue-producer';
import { pipelineEntry, type PipelineJob } from './job-routing';
import { JobStatus } from './job-status';
import { JobTransitions, type TransitionOptions } from './job-transitions';
import type { Job } from './job.entity';

/** Statuses that begin a stage: entering one adds the stage's queue entry. (DISPATCHED and RUNNING stay in their run entry.) */
const STAGE_STARTS: ReadonlySet<JobStatus> = new Set([
  JobStatus.Pending,
  JobStatus.Queued,
  JobStatus.Uploading,
  JobStatus.Reporting,
]);

/**
 * Moves jobs along the pipeline: commits a transition (with whatever belongs to it, in the same
 * transaction), then adds the queue entry the pipeline table (job-routing) names for the new
 * status. The two are not atomic: if the process dies or Redis refuses between them, the job is
 * committed in a status whose entry is missing, and the reconciler, reading the same table,
 * adds it (entry id = job id, and every stage skips a job no longer in its status, so an entry
 * added twice does no work twice).
 */
@Injectable()
export class JobPipeline {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: JobTransitions,
    private readonly producer: QueueProducer,
  ) {}

  /** Transition (plus `alongside`, in its transaction), then the new stage's entry. */
  async advance(
    jobId: string,
    to: JobStatus,
    options: TransitionOptions,
    alongside?: (m: EntityManager) => Promise<void>,
  ): Promise<Job> {
    const job = await this.dataSource.transaction(async (m) => {
      await alongside?.(m);
      return this.transitions.transitionWithin(m, jobId, to, options);
    });
    await this.enqueue([job]);
    return job;
  }

  /** The entries these jobs' statuses call for (several jobs of a queue in one round trip). */
  async enqueue(jobs: PipelineJob[]): Promise<void> {
    const entries = jobs.filter((j) => STAGE_STARTS.has(j.status)).map((j) => pipelineEntry(j)!);
    for (const queue of new Set(entries.map((e) => e.queue))) {
      const items = entries
        .filter((e) => e.queue === queue)
        .map(({ payload, priority }) => ({ payload: payload as QueuePayloads[QueueName], priority }));
      await this.producer.enqueueMany(queue, items);
    }
  }
}
