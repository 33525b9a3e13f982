import { Inject, Injectable, type Type } from '@nestjs/common';
import type { QueuePayloads, RunQueueName } from '../../queues';
import { DelayedError } from 'bullmq';
import { RunDeferred } from '../../src/quotas/running-quota';
import { RunService, type RunOutcome } from '../../src/running/run.service';
import type { JobContext, QueueHandler } from '../queue-handler';

type RunQueue = RunQueueName;

/** The processor of a run queue (md or qc): runs the job through this pool's executor. */
export function runProcessor(queue: RunQueue): Type<QueueHandler<RunQueue>> {
  @Injectable()
  class RunProcessor implements QueueHandler<RunQueue> {
    readonly queue = queue;

    constructor(@Inject(RunService) private readonly runs: RunService) {}

    async handle(payload: QueuePayloads[RunQueue], { job, token, signal }: JobContext): Promise<RunOutcome> {
      try {
        return await this.runs.run(payload.jobId, {
          signal,
          actor: `worker:${queue}`,
          reportProgress: (f) => job.updateProgress(Math.round(f * 10_000) / 100),
        }); // percent, as Bull Board shows it
      } catch (err) {
        if (!(err instanceof RunDeferred)) throw err;
        // the owner is at QUOTA_RUNNING_JOBS: back to the queue for a while, no attempt spent
        await job.moveToDelayed(Date.now() + err.delayMs, token);
        throw new DelayedError();
      }
    }

    onFinalFailure(payload: QueuePayloads[RunQueue], error: Error): Promise<void> {
      return this.runs.fail(payload.jobId, error, `worker:${queue}`);
    }
  }
  return RunProcessor;
}
