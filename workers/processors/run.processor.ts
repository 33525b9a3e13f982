import { Inject, Injectable, type Type } from '@nestjs/common';
import type { QueuePayloads, RunQueueName } from '../../queues';
import { DelayedError } from 'bullmq';
import { RunDeferred } from '../../src/quotas/running-quota';
import { RunFailed, RunService, type RunResultStep } from '../../src/running/run.service';
import { OwnerSlots, slotsPerOwner } from '../../src/running/owner-slots';
import { WorkerConfig } from '../../src/config/worker.config';
import { RecordedFailure, type JobContext, type QueueHandler } from '../queue-handler';

type RunQueue = RunQueueName;

/** The longest a slot that deferred a job for fairness stays idle before it takes the next entry. */
const SLOT_WAIT_MS = 2_000;

/** The processor of a run queue (md or qc): runs the job through this pool's executor. */
export function runProcessor(queue: RunQueue): Type<QueueHandler<RunQueue>> {
  @Injectable()
  class RunProcessor implements QueueHandler<RunQueue> {
    readonly queue = queue;

    private readonly slots = new OwnerSlots();

    constructor(
      @Inject(RunService) private readonly runs: RunService,
      @Inject(WorkerConfig) private readonly config: WorkerConfig,
    ) {}

    async handle(payload: QueuePayloads[RunQueue], { job, token, signal, worker }: JobContext): Promise<RunResultStep> {
      const limit = slotsPerOwner(worker.concurrency, this.config.RUN_SLOTS_PER_USER);
      try {
        return await this.runs.run(payload.jobId, {
          signal,
          actor: `worker:${queue}`,
          attemptsLeft: job.attemptsMade + 1 < (job.opts.attempts ?? 1),
          claimSlot: (ownerId) => this.slots.take(ownerId, limit),
          reportProgress: (f) => job.updateProgress(Math.round(f * 10_000) / 100),
        }); // percent, as Bull Board shows it
      } catch (err) {
        // the job ended FAILED (its engine failed): so does its entry, with the job's reason, not retried
        if (err instanceof RunFailed) throw new RecordedFailure(err.message);
        if (!(err instanceof RunDeferred)) throw err;
        // the owner is at QUOTA_RUNNING_JOBS or holds its share of this pool: back to the queue for a while, no attempt spent
        await job.moveToDelayed(Date.now() + err.delayMs, token);
        if (err.forPoolShare && !signal.aborted) await this.slots.anyRelease(SLOT_WAIT_MS);
        throw new DelayedError();
      }
    }

    onFinalFailure(payload: QueuePayloads[RunQueue], error: Error): Promise<void> {
      return this.runs.fail(payload.jobId, error, `worker:${queue}`);
    }
  }
  return RunProcessor;
}
