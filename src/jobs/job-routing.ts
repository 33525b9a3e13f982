import { QueueName } from '../../queues/queue-name';
import { JobStatus, type JobType } from './job-status';

const RUN_QUEUE: Readonly<Record<JobType, QueueName>> = { md: QueueName.Md, qc: QueueName.Qc };

/** The queue that runs jobs of this type. */
export function runQueueFor(type: JobType): QueueName {
  return RUN_QUEUE[type];
}

/** The queue a job in this status must be waiting in, or null if it should be in none. */
export function expectedQueue(status: JobStatus, type: JobType): QueueName | null {
  if (status === JobStatus.Pending) return QueueName.Ingestion;
  if (status === JobStatus.Queued) return runQueueFor(type);
  return null;
}

/** Statuses whose jobs must have a BullMQ entry (the reconciler's concern). */
export const ENQUEUED_STATUSES: readonly JobStatus[] = [JobStatus.Pending, JobStatus.Queued];
