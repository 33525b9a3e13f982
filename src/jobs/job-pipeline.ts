import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { QueueName, QueuePayloads } from '../../queues';
import { QueueProducer } from '../queueing/queue-producer';
import { stageEntry, type PipelineJob } from './job-routing';
import type { JobStatus } from './job-status';
import { JobTransitions, type AdvanceOptions, type MovedJob } from './job-transitions';
import type { Job } from './job.entity';

/** A refused enqueue is tried again this often, this many times, before the reconciler is left to it. */
const ENQUEUE_RETRY_MS = 1_500;
const ENQUEUE_RETRIES = 40;

export interface AdvanceOnce extends AdvanceOptions {
  /** One job that must move: if it did not, IllegalTransitionError naming its status (or JobNotFoundError). */
  strict?: boolean;
  /** Leave the new stage's entries to the caller (it adds them with its own priorities through `enqueue`). */
  enqueue?: false;
}

/** A transaction of the pipeline: moves made in it are enqueued once it has committed. */
export interface PipelineTransaction {
  readonly manager: EntityManager;
  advance(ids: string[], to: JobStatus, options: AdvanceOnce): Promise<MovedJob[]>;
  /** New jobs (PENDING) with their first events. */
  create(entries: { job: Job; actor: string; message?: string }[], message?: string): Promise<void>;
}

/**
 * The one owner of a job's life: every status a job takes is chosen here, through one conditional
 * move (`advance`: the jobs still in a `from` status move, in one statement), and the new stage's
 * queue entry (the routing table, job-routing.ts) is added once the move has committed. The two
 * are not atomic: if the process dies or Redis refuses between them, the job is committed in a
 * status whose entry is missing, and the reconciler, reading the same table, adds it (entry id =
 * job id, and every stage skips a job no longer in its status, so an entry added twice does no work twice).
 */
@Injectable()
export class JobPipeline {
  private readonly logger = new Logger(JobPipeline.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: JobTransitions,
    private readonly producer: QueueProducer,
  ) {}

  /** Moves `ids` to `to` in a transaction of its own, then adds the new stage's entries; returns what moved. */
  advance(ids: string | string[], to: JobStatus, options: AdvanceOnce): Promise<MovedJob[]> {
    return this.transaction((tx) => tx.advance(typeof ids === 'string' ? [ids] : ids, to, options));
  }

  /** Runs `work` in one transaction; every move made in it is enqueued after the commit. */
  async transaction<T>(work: (tx: PipelineTransaction) => Promise<T>): Promise<T> {
    const toEnqueue: MovedJob[] = [];
    const result = await this.dataSource.transaction((manager) =>
      work({
        manager,
        advance: async (ids, to, options) => {
          const moved = await this.transitions.advance(manager, ids, to, options);
          if (options.strict && moved.length === 0) await this.transitions.whyNotMoved(manager, ids[0], to);
          if (options.enqueue !== false) toEnqueue.push(...moved);
          return moved;
        },
        create: (entries, message) => this.transitions.createMany(manager, entries, message),
      }),
    );
    await this.enqueueOrLeave(toEnqueue);
    return result;
  }

  /** The entries these jobs' statuses call for (several jobs of a queue in one round trip). */
  async enqueue(jobs: PipelineJob[]): Promise<void> {
    const entries = jobs.map((j) => stageEntry(j)).filter((e) => e !== null);
    for (const queue of new Set(entries.map((e) => e.queue))) {
      const items = entries
        .filter((e) => e.queue === queue)
        .map(({ payload, priority }) => ({ payload: payload as QueuePayloads[QueueName], priority }));
      await this.producer.enqueueMany(queue, items);
    }
  }

  /**
   * A committed move's entries. Redis refusing them does not fail the caller (the move stands): they
   * are tried again in the background every ~1.5 s for a minute, and the reconciler, for which the
   * job's status is the outbox, adds them in any case.
   */
  async enqueueOrLeave(jobs: PipelineJob[], triesLeft = ENQUEUE_RETRIES): Promise<void> {
    if (jobs.length === 0) return;
    try {
      await this.enqueue(jobs);
    } catch (err) {
      if (triesLeft === ENQUEUE_RETRIES)
        this.logger.warn(`${jobs.length} job(s) moved on; their entries not added yet: ${(err as Error).message}`);
      if (triesLeft > 0) setTimeout(() => void this.enqueueOrLeave(jobs, triesLeft - 1), ENQUEUE_RETRY_MS).unref();
    }
  }
}
