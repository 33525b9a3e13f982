import { parseArgs } from 'node:util';
import { isQueueName, type QueueName } from '../queues';
import type { WorkerConfig } from '../src/config/worker.config';
import type { WorkerPlan } from './queue-handler';

export class WorkerPlanError extends Error {}

/** Reads --queues/--concurrency (or WORKER_QUEUES/WORKER_CONCURRENCY) into a checked plan. */
export function workerPlan(argv: string[], config: WorkerConfig): WorkerPlan {
  const { values } = parseArgs({
    args: argv,
    options: { queues: { type: 'string' }, concurrency: { type: 'string' } },
    strict: true,
  });
  const list = values.queues ?? config.WORKER_QUEUES;
  if (!list) throw new WorkerPlanError('no queues to consume: pass --queues a,b or set WORKER_QUEUES');
  const names = [
    ...new Set(
      list
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = names.filter((n) => !isQueueName(n));
  if (unknown.length > 0 || names.length === 0) {
    throw new WorkerPlanError(`--queues: unknown queue(s) ${unknown.join(', ') || '(none given)'}`);
  }
  let concurrency = config.WORKER_CONCURRENCY;
  if (values.concurrency !== undefined) {
    concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) {
      throw new WorkerPlanError('--concurrency: must be an integer from 1 to 1000');
    }
  }
  return { queues: names as QueueName[], concurrency };
}
