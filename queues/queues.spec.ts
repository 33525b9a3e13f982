import { UnrecoverableError } from 'bullmq';
import { QUEUES, QUEUE_NAMES, parsePayload, QueueName } from '.';
import { isBatchReport } from './reports.queue';

describe('queue definitions', () => {
  it.each(QUEUE_NAMES)('%s has retries with exponential backoff, bounded retention and a lock', (name) => {
    const def = QUEUES[name];
    expect(def.name).toBe(name);
    expect(def.jobOptions.attempts).toBeGreaterThan(1);
    expect(def.jobOptions.backoff).toMatchObject({ type: 'exponential' });
    expect(def.jobOptions.removeOnComplete).toBeDefined();
    expect(def.jobOptions.removeOnFail).toBeDefined();
    expect(def.worker.lockDuration).toBeGreaterThanOrEqual(30_000);
    expect(def.worker.concurrency).toBeGreaterThanOrEqual(1);
  });

  it('accepts a valid payload', () => {
    const jobId = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
    expect(parsePayload(QueueName.Md, { jobId })).toEqual({ jobId });
  });

  it.each([[{}], [{ jobId: 'nope' }], [{ jobId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427', extra: 1 }], [null]])(
    'refuses %p as unrecoverable, naming the field',
    (data) => {
      expect(() => parsePayload(QueueName.Ingestion, data)).toThrow(UnrecoverableError);
      expect(() => parsePayload(QueueName.Ingestion, data)).toThrow(/invalid ingestion payload \((jobId|extra)/);
    },
  );

  it('tells a job report from a batch report once validated, and refuses a batch report without its stage', () => {
    const id = '1b4e28ba-2fa1-41d2-883f-0016d3cca427';
    expect(isBatchReport(parsePayload(QueueName.Reports, { jobId: id }))).toBe(false);
    expect(isBatchReport(parsePayload(QueueName.Reports, { batchId: id, stage: 'final' }))).toBe(true);
    expect(() => parsePayload(QueueName.Reports, { batchId: id })).toThrow(/stage/);
  });
});
