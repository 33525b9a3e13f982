import { SlurmDriver } from './slurm-driver';
import { fakeSsh } from '../../test/support/fake-ssh';

/**
 * sacct needs slurmdbd, which the test cluster does not run, so the fallback for jobs that
 * left squeue is checked here against a stand-in for the SSH connection (the real squeue path
 * is covered by test/integration/slurm-driver.spec.ts).
 */

describe('SlurmDriver.poll', () => {
  const cluster = { workRoot: '/w', name: 'test', programs: { lmp: 'lmp', xtb: 'xtb', g16: 'g16' }, setup: {} };

  it('asks sacct, once, only about the jobs squeue no longer knows', async () => {
    const { ssh, commands } = fakeSsh({
      squeue: { code: 0, stdout: '101|RUNNING|None\n', stderr: '' },
      sacct: { code: 0, stdout: '102|CANCELLED by 1000|0:15\n102.batch|CANCELLED|0:15\n103|TIMEOUT|0:1\n', stderr: '' },
    });
    const states = await new SlurmDriver(ssh, cluster).poll(['101', '102', '103', '104']);
    expect(commands).toHaveLength(2);
    expect(commands[1]).toBe("sacct -n -P -X -j '102,103,104' -o 'JobID,State,ExitCode'");
    expect(states.get('101')?.phase).toBe('running');
    expect(states.get('102')).toMatchObject({ state: 'CANCELLED', phase: 'cancelled' });
    expect(states.get('103')).toMatchObject({ state: 'TIMEOUT', phase: 'failed', reason: 'exit 0:1' });
    expect(states.has('104')).toBe(false);
  });

  it('makes one call when squeue knows every job, and survives disabled accounting', async () => {
    const all = fakeSsh({ squeue: { code: 0, stdout: '1|COMPLETED|None\n2|PENDING|Priority\n', stderr: '' } });
    await new SlurmDriver(all.ssh, cluster).poll(['1', '2']);
    expect(all.commands).toHaveLength(1);
    const noAcct = fakeSsh({
      squeue: { code: 0, stdout: '', stderr: '' },
      sacct: { code: 1, stdout: '', stderr: 'Slurm accounting storage is disabled' },
    });
    expect((await new SlurmDriver(noAcct.ssh, cluster).poll(['9'])).size).toBe(0);
  });
});
