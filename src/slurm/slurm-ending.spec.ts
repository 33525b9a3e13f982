import type { SlurmDriver, SlurmJobStatus } from './slurm-driver';
import { slurmEnding } from './slurm-ending';
import { slurmPhase } from './slurm-states';

// The mapping alone: failureMessage (which reads logs over SSH) is the driver's, tested in slurm-driver.spec
// against the real cluster; here it answers a fixed text.
const driver = {
  failureMessage: async (_: string, s: SlurmJobStatus) => `Slurm job ${s.schedulerId} ended ${s.state}`,
};
const status = (state: string): SlurmJobStatus => ({
  schedulerId: '77',
  state,
  reason: 'None',
  phase: slurmPhase(state),
});
const ending = (state: string) => slurmEnding(driver as unknown as SlurmDriver, 'job-1', status(state));

describe('slurmEnding', () => {
  it('is null while the job waits or runs', async () => {
    for (const state of ['PENDING', 'RUNNING', 'CONFIGURING', 'COMPLETING']) expect(await ending(state)).toBeNull();
  });

  it('reads COMPLETED as completed, FAILED and TIMEOUT as the job failing, CANCELLED as cancelled on the cluster', async () => {
    expect(await ending('COMPLETED')).toBe('completed');
    expect(await ending('FAILED')).toEqual({ kind: 'failed', reason: 'Slurm job 77 ended FAILED', retryable: false });
    expect(await ending('TIMEOUT')).toMatchObject({ kind: 'failed', retryable: false });
    expect(await ending('CANCELLED')).toEqual({
      kind: 'failed',
      reason: 'Slurm job 77 was cancelled on the cluster',
      retryable: false,
    });
  });

  it('reads a node failure as the cluster failing, not the job: run again', async () => {
    expect(await ending('NODE_FAIL')).toEqual({
      kind: 'failed',
      reason: 'Slurm job 77 ended NODE_FAIL: the cluster failed it, not the job',
      retryable: true,
    });
  });
});
