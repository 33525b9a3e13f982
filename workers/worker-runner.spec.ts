import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DelayedError, Queue, QueueEvents, UnrecoverableError, Worker, type JobsOptions } from 'bullmq';
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

describe('WorkerRunner settles a job that failed for good inside the processing path (real Redis)', () => {
  const env = { DATABASE_URL: 'postgres://db/x', REDIS_URL: TEST_REDIS_URL };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const idOf = (payload: object) => (payload as { jobId: string }).jobId;
  let prefix: string;
  let runner: WorkerRunner;
  let queue: Queue;
  let events: QueueEvents;
  /** Process-level failures while a test runs: a listener's throw or a floating rejection lands here. */
  const escaped: unknown[] = [];
  const escape = (e: unknown) => escaped.push(e);

  beforeEach(() => {
    Logger.overrideLogger(false);
    prefix = `molq-unit-${randomBytes(4).toString('hex')}`;
    escaped.length = 0;
    process.on('unhandledRejection', escape);
    process.on('uncaughtException', escape);
  });

  afterEach(async () => {
    await runner?.stop(1_000);
    await events?.close();
    await queue?.obliterate({ force: true });
    await queue?.close();
    process.off('unhandledRejection', escape);
    process.off('uncaughtException', escape);
    Logger.overrideLogger(['error', 'warn', 'log']);
  });

  async function start(handler: QueueHandler): Promise<void> {
    runner = new WorkerRunner(
      [handler],
      { queues: [handler.queue] },
      loadConfig(WorkerConfig, { ...env, REDIS_PREFIX: prefix }),
    );
    queue = new Queue(handler.queue, { connection: { url: TEST_REDIS_URL }, prefix });
    events = new QueueEvents(handler.queue, { connection: { url: TEST_REDIS_URL }, prefix });
    await events.waitUntilReady();
    await runner.start();
  }

  /** Polls the entry's state every 5 ms until it is failed; `seen` is what `probe` said at that moment. */
  async function whenFailed<T>(jobId: string, probe: () => T): Promise<T> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const seen = probe();
      if ((await queue.getJobState(jobId)) === 'failed') return seen;
      await sleep(5);
    }
    throw new Error(`entry ${jobId} never failed`);
  }

  it("the last attempt's failure: onFinalFailure has finished (awaited) before BullMQ fails the entry or emits 'failed'", async () => {
    const jobId = '00000000-0000-4000-8000-00000000000a';
    const calls: { jobId: string; message: string; attempt: number }[] = [];
    let attempt = 0;
    let settled = false;
    await start({
      queue: QueueName.Qc,
      handle: async () => {
        attempt++;
        throw new Error(`xtb crashed (attempt ${attempt})`);
      },
      onFinalFailure: async (payload, err) => {
        calls.push({ jobId: idOf(payload), message: err.message, attempt });
        await sleep(400); // a slow PostgreSQL: BullMQ must wait for it
        settled = true;
      },
    });
    const atEvent = new Promise<boolean>((resolve) => events.on('failed', () => resolve(settled)));
    const opts: JobsOptions = { jobId, attempts: 2, backoff: { type: 'fixed', delay: 50 } };
    await queue.add('qc', { jobId }, opts);
    // the moment BullMQ says 'failed' (its own state, then its event), the job's row was settled already
    expect(await whenFailed(jobId, () => settled)).toBe(true);
    expect(await atEvent).toBe(true);
    expect(calls).toEqual([{ jobId, message: 'xtb crashed (attempt 2)', attempt: 2 }]); // once, on the last attempt only
    expect((await queue.getJob(jobId))?.attemptsMade).toBe(2);
    expect(escaped).toEqual([]);
  });

  it('an UnrecoverableError settles the job on its first attempt; a delay or a rate limit never does', async () => {
    const ids = ['00000000-0000-4000-8000-00000000000b', '00000000-0000-4000-8000-00000000000c'];
    const settled: string[] = [];
    let delayed = false;
    await start({
      queue: QueueName.Upload,
      handle: async (payload, { job, token, worker }) => {
        if (idOf(payload) === ids[0]) throw new UnrecoverableError('staged file does not match its manifest');
        if (!delayed) {
          delayed = true; // the first try of the second entry gives it back without spending an attempt
          await job.moveToDelayed(Date.now() + 20, token);
          throw new DelayedError();
        }
        await worker.rateLimit(20);
        throw Worker.RateLimitError();
      },
      onFinalFailure: async (payload, err) => {
        await sleep(200);
        settled.push(`${idOf(payload)}: ${err.message}`);
      },
    });
    await queue.add('upload', { jobId: ids[0] }, { jobId: ids[0], attempts: 3 });
    expect(await whenFailed(ids[0], () => [...settled])).toEqual([
      `${ids[0]}: staged file does not match its manifest`,
    ]);
    await queue.add('upload', { jobId: ids[1] }, { jobId: ids[1], attempts: 1 });
    await sleep(600);
    expect(delayed).toBe(true);
    expect(await queue.getJobState(ids[1])).not.toBe('failed');
    expect(settled).toHaveLength(1);
    expect(escaped).toEqual([]);
  });

  it('a payload that fails its schema: its entry fails, the job it names ends FAILED naming the bad payload, nothing escapes', async () => {
    const named = '00000000-0000-4000-8000-00000000000d';
    const brokenSettle = '00000000-0000-4000-8000-00000000000e';
    const handle = jest.fn(async () => undefined);
    const settled: { jobId: string; message: string }[] = [];
    await start({
      queue: QueueName.Qc,
      handle,
      onFinalFailure: async (payload, err) => {
        await sleep(200);
        if (idOf(payload) === brokenSettle) throw new Error('PostgreSQL said no'); // logged; the entry still fails
        settled.push({ jobId: idOf(payload), message: err.message });
      },
    });
    const invalid = 'invalid qc payload (engine: engine must be one of the following values: lammps, gaussian, xtb)';
    await queue.add('qc', { jobId: named, engine: 'fortran' }, { jobId: named, attempts: 3 });
    expect(await whenFailed(named, () => [...settled])).toEqual([{ jobId: named, message: invalid }]);
    await queue.add('qc', { jobId: brokenSettle, engine: 'fortran' }, { jobId: brokenSettle, attempts: 3 });
    await queue.add('qc', { name: 42 }, { jobId: 'no-job-named', attempts: 3 }); // names no job: only the entry fails
    await queue.add('qc', 'not even an object' as unknown as object, { jobId: 'not-an-object', attempts: 3 });
    for (const id of [brokenSettle, 'no-job-named', 'not-an-object']) await whenFailed(id, () => undefined);
    const reasons = await Promise.all(
      [named, brokenSettle, 'no-job-named', 'not-an-object'].map(async (id) => {
        const entry = (await queue.getJob(id))!;
        return { id, tries: entry.attemptsMade, invalid: entry.failedReason.startsWith('invalid qc payload (') };
      }),
    );
    expect(reasons.every((r) => r.tries === 1 && r.invalid)).toBe(true); // never retried
    await sleep(300);
    expect(settled).toEqual([{ jobId: named, message: invalid }]);
    expect(handle).not.toHaveBeenCalled();
    expect(escaped).toEqual([]);
  });
});
