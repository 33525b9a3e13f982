import { QueueName, RUN_QUEUE_OF } from '../../queues/queue-name';
import { runPayload, type RunPayload } from '../../queues/run.payload';
import type { JobRefPayload } from '../../queues/job-ref.payload';
import { JobStatus, type JobType } from './job-status';

/** The queue that runs jobs of this type. */
export function runQueueFor(type: JobType): QueueName {
  return RUN_QUEUE_OF[type];
}

/** The queue a job in this status must be waiting in, or null if it should be in none. */
export function expectedQueue(status: JobStatus, type: JobType): QueueName | null {
  if (status === JobStatus.Pending) return QueueName.Ingestion;
  if (status === JobStatus.Queued) return runQueueFor(type);
  return null;
}

/** Statuses whose jobs wait in a queue (their entries carry the job's priority). */
export const ENQUEUED_STATUSES: readonly JobStatus[] = [JobStatus.Pending, JobStatus.Queued];

export type PipelineJob = {
  id: string;
  status: JobStatus;
  type: JobType;
  engine: string;
  ownerId: string;
  name: string | null;
  priority: number;
};
export interface PipelineEntry {
  queue: QueueName;
  payload: JobRefPayload | RunPayload;
  priority?: number;
}

/**
 * The pipeline, declared once: for every status that is not final, the queue whose entry moves
 * the job on. A job DISPATCHED or RUNNING keeps its run entry (locked by the pool, or leased by a
 * bridge) until it is UPLOADING. Every stage skips a job that is no longer in its status, so an
 * entry added again (the reconciler) never does work twice.
 */
const PIPELINE: Readonly<Partial<Record<JobStatus, (job: PipelineJob) => PipelineEntry>>> = {
  [JobStatus.Pending]: (job) => ({ queue: QueueName.Ingestion, payload: { jobId: job.id }, priority: job.priority }),
  [JobStatus.Queued]: (job) => ({ queue: runQueueFor(job.type), payload: runPayload(job), priority: job.priority }),
  [JobStatus.Dispatched]: (job) => ({ queue: runQueueFor(job.type), payload: runPayload(job) }),
  [JobStatus.Running]: (job) => ({ queue: runQueueFor(job.type), payload: runPayload(job) }),
  [JobStatus.Uploading]: (job) => ({ queue: QueueName.Upload, payload: { jobId: job.id } }),
  [JobStatus.Reporting]: (job) => ({ queue: QueueName.Reports, payload: { jobId: job.id } }),
};

/** Every status the pipeline moves on (all but the final ones). */
export const PIPELINE_STATUSES = Object.keys(PIPELINE) as JobStatus[];

/** The entry that must exist for a job in its status, or null for a final status. */
export function pipelineEntry(job: PipelineJob): PipelineEntry | null {
  return PIPELINE[job.status]?.(job) ?? null;
}
