import { QueueName, RUN_QUEUE_OF } from '../../queues/queue-name';
import { runPayload, type RunPayload } from '../../queues/run.payload';
import type { JobRefPayload } from '../../queues/job-ref.payload';
import { JobStatus, type JobType } from './job-status';

/** The queue that runs jobs of this type. */
export function runQueueFor(type: JobType): QueueName {
  return RUN_QUEUE_OF[type];
}

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

interface Route {
  entry: (job: PipelineJob) => PipelineEntry;
  /** Entering the status adds its entry (DISPATCHED and RUNNING keep the run entry that took them). */
  startsStage: boolean;
  /** Its entry waits in its queue for a taker (PENDING, QUEUED): a cancel takes it off. */
  waits: boolean;
}

const ingestion = (job: PipelineJob): PipelineEntry => ({
  queue: QueueName.Ingestion,
  payload: { jobId: job.id },
  priority: job.priority,
});
const queuedRun = (job: PipelineJob): PipelineEntry => ({
  queue: runQueueFor(job.type),
  payload: runPayload(job),
  priority: job.priority,
});
const heldRun = (job: PipelineJob): PipelineEntry => ({ queue: runQueueFor(job.type), payload: runPayload(job) });

/**
 * The pipeline, declared once: for every status that is not final, the queue whose entry moves
 * the job on, whether entering the status adds it, and whether it waits for a taker. Everything
 * else that knows a stage (the pipeline's enqueue, the reconciler, cancels, retries, what a run
 * pool or bridge may take) is derived from this table. Every stage skips a job that is no longer
 * in its status, so an entry added again (the reconciler) never does work twice.
 */
const ROUTES: Readonly<Partial<Record<JobStatus, Route>>> = {
  [JobStatus.Pending]: { entry: ingestion, startsStage: true, waits: true },
  [JobStatus.Queued]: { entry: queuedRun, startsStage: true, waits: true },
  [JobStatus.Dispatched]: { entry: heldRun, startsStage: false, waits: false },
  [JobStatus.Running]: { entry: heldRun, startsStage: false, waits: false },
  [JobStatus.Uploading]: {
    entry: (job) => ({ queue: QueueName.Upload, payload: { jobId: job.id } }),
    startsStage: true,
    waits: false,
  },
  [JobStatus.Reporting]: {
    entry: (job) => ({ queue: QueueName.Reports, payload: { jobId: job.id } }),
    startsStage: true,
    waits: false,
  },
};

/** Every status the pipeline moves on (all but the final ones). */
export const PIPELINE_STATUSES = Object.keys(ROUTES) as JobStatus[];

/** The entry that must exist for a job in its status, or null for a final status. */
export function pipelineEntry(job: PipelineJob): PipelineEntry | null {
  return ROUTES[job.status]?.entry(job) ?? null;
}

/** The entry entering the job's status adds, or null (a run taken on, a final status). */
export function stageEntry(job: PipelineJob): PipelineEntry | null {
  return ROUTES[job.status]?.startsStage ? pipelineEntry(job) : null;
}

/** The queue of a job of this status and type's entry (a non-final status). */
function queueOf(status: JobStatus, type: JobType): QueueName {
  return ROUTES[status]!.entry({ id: '', status, type, engine: '', ownerId: '', name: null, priority: 0 }).queue;
}

/** The queue holding a job of this status's entry while it waits for a taker, or null. */
export function waitingQueue(status: JobStatus, type: JobType): QueueName | null {
  return ROUTES[status]?.waits ? queueOf(status, type) : null;
}

/** Every queue a job of this type passes through (a retry clears the earlier attempt's entries from each). */
export function queuesOf(type: JobType): QueueName[] {
  return [...new Set(PIPELINE_STATUSES.map((status) => queueOf(status, type)))];
}

/** The statuses of a job out for a run (taken by a pool, or leased by a bridge): those whose entry is its run queue's. */
export const OUT_FOR_RUN: readonly JobStatus[] = PIPELINE_STATUSES.filter(
  (status) => queueOf(status, 'md') === runQueueFor('md'),
);
