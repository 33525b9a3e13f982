import { QueueName, QUEUES } from '../../queues';
import { QueueProducer } from '../../src/queueing/queue-producer';
import type { QueueHandler } from '../../workers/queue-handler';
import { WorkerRunner } from '../../workers/worker-runner';
import { eventually } from '../support/eventually';
import { newWorld, setUpWorld, tearDownWorld } from '../support/test-config';

/**
 * A stage that fails because PostgreSQL (or Redis, or storage) is away: a real BullMQ worker pool on
 * the test Redis, with a stage that meets ECONNREFUSED more often than the queue allows attempts.
 */
const world = newWorld();
let producer: QueueProducer;
let runner: WorkerRunner | undefined;

beforeAll(async () => {
  await setUpWorld(world);
  producer = new QueueProducer(world.master);
});

afterEach(async () => {
  await runner?.stop(1_000);
  runner = undefined;
});

afterAll(async () => {
  await producer?.onModuleDestroy();
  await tearDownWorld(world);
});

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

function pool(handle: QueueHandler['handle']): WorkerRunner {
  runner = new WorkerRunner([{ queue: QueueName.Ingestion, handle }], { queues: [QueueName.Ingestion] }, world.worker);
  return runner;
}

describe('a stage that finds a service away', () => {
  it('is tried again every ~1.5 s without spending attempts, and moves on as soon as the service is back', async () => {
    const attempts = QUEUES[QueueName.Ingestion].jobOptions.attempts!;
    const outage = attempts + 2; // more failures than the queue has attempts
    let calls = 0;
    let servedAt = 0;
    await pool(async () => {
      calls += 1;
      if (calls <= outage) throw refused();
      servedAt = Date.now();
      return 'ingested';
    }).start();
    const startedAt = Date.now();
    await producer.enqueue(QueueName.Ingestion, { jobId: '00000000-0000-4000-8000-000000000001' });
    const queue = producer.queue(QueueName.Ingestion);
    await eventually(
      async () => (await queue.getJobState('00000000-0000-4000-8000-000000000001')) === 'completed',
      30_000,
    );
    const entry = (await queue.getJob('00000000-0000-4000-8000-000000000001'))!;
    expect(calls).toBe(outage + 1);
    expect(entry.attemptsMade).toBeLessThanOrEqual(1); // the completion itself; no failure counted
    expect(entry.returnvalue).toBe('ingested');
    // ~1.5 s between tries (jittered 1-2 s); BullMQ's own backoff (1 s doubling) would have given up after 5
    expect((servedAt - startedAt) / outage).toBeLessThan(2_500);
  });

  it("a stage's own error still spends attempts, with the queue's backoff", async () => {
    let calls = 0;
    await pool(async () => {
      calls += 1;
      throw new Error('the input is not a molecule');
    }).start();
    const id = '00000000-0000-4000-8000-000000000002';
    await producer
      .queue(QueueName.Ingestion)
      .add(QueueName.Ingestion, { jobId: id }, { jobId: id, attempts: 2, backoff: 100 });
    await eventually(async () => (await producer.queue(QueueName.Ingestion).getJobState(id)) === 'failed', 20_000);
    expect(calls).toBe(2);
  });
});
