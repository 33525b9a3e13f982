import { loadConfig } from '../src/config/load-config';
import { WorkerConfig } from '../src/config/worker.config';
import { QueueName } from '../queues';
import type { QueueHandler } from './queue-handler';
import { HandlerWiringError, WorkerRunner } from './worker-runner';

const config = loadConfig(WorkerConfig, { DATABASE_URL: 'postgres://db/x', REDIS_URL: 'redis://127.0.0.1:1' });
const handler = (queue: QueueName): QueueHandler => ({ queue, handle: async () => undefined });

describe('WorkerRunner wiring', () => {
  it('refuses a queue with two processors before connecting anywhere', async () => {
    const runner = new WorkerRunner([handler(QueueName.Md), handler(QueueName.Md)], { queues: [QueueName.Md] }, config);
    await expect(runner.start()).rejects.toThrow(new HandlerWiringError('queue md has two processors'));
  });

  it('refuses a queue with no processor', async () => {
    const runner = new WorkerRunner([handler(QueueName.Md)], { queues: [QueueName.Md, QueueName.Qc] }, config);
    await expect(runner.start()).rejects.toThrow('no processor for queue(s): qc');
  });
});
