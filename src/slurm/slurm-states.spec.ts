import { SLURM_STATES, slurmPhase, slurmStateName } from './slurm-states';

/**
 * Every job state code of squeue(1)/sacct(1) (Slurm 22–24 documentation, "JOB STATE CODES"), written
 * out here independently of the table under test: compact code, long name, and where molq takes it.
 */
const DOCUMENTED: [code: string, name: string, outcome: string][] = [
  ['BF', 'BOOT_FAIL', 'requeue'],
  ['CA', 'CANCELLED', 'cancelled'],
  ['CD', 'COMPLETED', 'completed'],
  ['CF', 'CONFIGURING', 'waiting'],
  ['CG', 'COMPLETING', 'running'],
  ['DL', 'DEADLINE', 'failed'],
  ['F', 'FAILED', 'failed'],
  ['NF', 'NODE_FAIL', 'requeue'],
  ['OOM', 'OUT_OF_MEMORY', 'failed'],
  ['PD', 'PENDING', 'waiting'],
  ['PR', 'PREEMPTED', 'requeue'],
  ['R', 'RUNNING', 'running'],
  ['RD', 'RESV_DEL_HOLD', 'waiting'],
  ['RF', 'REQUEUE_FED', 'waiting'],
  ['RH', 'REQUEUE_HOLD', 'waiting'],
  ['RQ', 'REQUEUED', 'waiting'],
  ['RS', 'RESIZING', 'running'],
  ['RV', 'REVOKED', 'requeue'],
  ['SI', 'SIGNALING', 'running'],
  ['SE', 'SPECIAL_EXIT', 'waiting'],
  ['SO', 'STAGE_OUT', 'running'],
  ['ST', 'STOPPED', 'waiting'],
  ['S', 'SUSPENDED', 'waiting'],
  ['TO', 'TIMEOUT', 'failed'],
];

describe('Slurm job states as Slurm means them', () => {
  it.each(DOCUMENTED)('%s / %s → %s (long name and compact code alike)', (code, name, outcome) => {
    expect(slurmPhase(name)).toBe(outcome);
    expect(slurmPhase(code)).toBe(outcome);
    expect(slurmStateName(code)).toBe(name);
  });

  it('the table holds exactly the documented states, no more', () => {
    expect(Object.keys(SLURM_STATES).sort()).toEqual(DOCUMENTED.map(([, name]) => name).sort());
  });

  it('no state that Slurm still holds ends a run (held, requeued, stopped, signalling, staging out)', () => {
    for (const held of [
      'REQUEUE_HOLD',
      'REQUEUE_FED',
      'RESV_DEL_HOLD',
      'STOPPED',
      'SIGNALING',
      'STAGE_OUT',
      'SPECIAL_EXIT',
      'RQ',
      'RS',
      'RH',
      'RF',
      'RD',
      'ST',
      'SI',
      'SO',
      'SE',
    ]) {
      expect([held, slurmPhase(held)]).toEqual([held, expect.stringMatching(/^(waiting|running)$/)]);
    }
  });

  it('a state Slurm does not document ends the run as failed, its name kept', () => {
    expect(slurmPhase('LAUNCH_FAILED')).toBe('failed');
    expect(slurmStateName('LAUNCH_FAILED')).toBe('LAUNCH_FAILED');
  });
});
