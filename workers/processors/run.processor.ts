import { Inject, Injectable, type Type } from '@nestjs/common';
import type { QueueName, QueuePayloads } from '../../queues';
import { RunService, type RunOutcome } from '../../src/running/run.service';
import type { JobContext, QueueHandler } from '../queue-handler';

type RunQueue = QueueName.Md | QueueName.Qc;

/** The processor of a run queue (md or qc): runs the job through this pool's executor. */
export function runProcessor(queue: RunQueue): Type<QueueHandler<RunQueue>> {
  @Injectable()
  class RunProcessor implements QueueHandler<RunQueue> {
    readonly queue = queue;

    constructor(@Inject(RunService) private readonly runs: RunService) {}

    handle(payload: QueuePayloads[RunQueue], { job, signal }: JobContext): Promise<RunOutcome> {
      return this.runs.run(payload.jobId, { signal, actor: `worker:${queue}`, reportProgress: (f) => job.updateProgress(Math.round(f * 10_000) / 100) }); // percent, as Bull Board shows it
    }
  }
  return RunProcessor;
}
