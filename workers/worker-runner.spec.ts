import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { loadConfig } from '../src/config/load-config';
import { WorkerConfig } from '../src/config/worker.config';
import { QUEUES, QueueName } from '../queues';
import { TEST_REDIS_URL } from '../test/support/test-config';
import { RecordedFailure, type QueueHandler } from './queue-handler';
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

describe('WorkerRunner and a job that failed on its own (real Redis)', () => {
  it('RecordedFailure fails the entry at once with its message: no retry, no onFinalFailure, not an outage even when it reads like one', async () => {
    Logger.overrideLogger(false);
    const env = { DATABASE_URL: 'postgres://db/x', REDIS_URL: TEST_REDIS_URL };
    const prefix = `molq-unit-${randomBytes(4).toString('hex')}`;
    const redis = loadConfig(WorkerConfig, { ...env, REDIS_PREFIX: prefix });
    const reason = 'Connection terminated unexpectedly (what the engine printed)'; // isUnavailable would say "outage"
    const onFinalFailure = jest.fn(async () => undefined);
    const failing: QueueHandler = {
      queue: QueueName.Qc,
      handle: async () => {
        throw new RecordedFailure(reason);
      },
      onFinalFailure,
    };
    const runner = new WorkerRunner([failing], { queues: [QueueName.Qc] }, redis);
    const queue = new Queue(QueueName.Qc, { connection: { url: TEST_REDIS_URL }, prefix });
    const jobId = '00000000-0000-4000-8000-000000000001';
    try {
      await runner.start();
      await queue.add('qc', { jobId, engine: 'xtb', owner: jobId }, { ...QUEUES.qc.jobOptions, jobId });
      const deadline = Date.now() + 10_000;
      while ((await queue.getJobState(jobId)) !== 'failed' && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const entry = (await queue.getJob(jobId))!;
      expect({ state: await queue.getJobState(jobId), reason: entry.failedReason, tries: entry.attemptsMade }).toEqual({
        state: 'failed',
        reason,
        tries: 1,
      });
      expect(entry.opts.attempts).toBe(3);
      await new Promise((r) => setTimeout(r, 200)); // the 'failed' event's listener has run
      expect(onFinalFailure).not.toHaveBeenCalled();
    } finally {
      await runner.stop(1_000);
      await queue.obliterate({ force: true });
      await queue.close();
      Logger.overrideLogger(['error', 'warn', 'log']);
    }
  });
});
