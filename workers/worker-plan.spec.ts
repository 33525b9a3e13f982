import { loadConfig } from '../src/config/load-config';
import { WorkerConfig } from '../src/config/worker.config';
import { workerPlan } from './worker-plan';

const base = { DATABASE_URL: 'postgres://db/molq', REDIS_URL: 'redis://r:6379' };
const config = (env: Record<string, string> = {}) => loadConfig(WorkerConfig, { ...base, ...env });

describe('workerPlan', () => {
  it('reads --queues and --concurrency', () => {
    expect(workerPlan(['--queues', 'ingestion,reports', '--concurrency', '4'], config())).toEqual({
      queues: ['ingestion', 'reports'],
      concurrency: 4,
    });
  });

  it('falls back to WORKER_QUEUES and WORKER_CONCURRENCY, flags win', () => {
    expect(workerPlan([], config({ WORKER_QUEUES: 'md,qc', WORKER_CONCURRENCY: '2' }))).toEqual({
      queues: ['md', 'qc'],
      concurrency: 2,
    });
    expect(workerPlan(['--queues', 'upload'], config({ WORKER_QUEUES: 'md' })).queues).toEqual(['upload']);
  });

  it('names unknown queues, a bad concurrency and missing queues', () => {
    expect(() => workerPlan(['--queues', 'ingestion,mdd'], config())).toThrow('--queues: unknown queue(s) mdd');
    expect(() => workerPlan(['--queues', 'md', '--concurrency', '0'], config())).toThrow('--concurrency');
    expect(() => workerPlan([], config())).toThrow('no queues to consume');
    expect(() => workerPlan(['--bogus'], config())).toThrow(/bogus/);
  });
});
