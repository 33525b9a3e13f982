import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { JobSpec } from '../../src/jobs/job-spec';
import { JobEvent } from '../../src/jobs/job-event.entity';
import { JobStatus, type JobType } from '../../src/jobs/job-status';
import { Job } from '../../src/jobs/job.entity';
import { User } from '../../src/users/user.entity';

const RESOURCES = { tasks: 1, walltimeMinutes: 5, memoryMb: 500 };
export const WATER_XYZ = '3\nwater\nO 0.000 0.000 0.117\nH 0.000 0.757 -0.467\nH 0.000 -0.757 -0.467\n';
const WATER_XTB: JobSpec = {
  resources: RESOURCES,
  qc: { xyz: WATER_XYZ, charge: 0, multiplicity: 1, task: 'sp', gfn: 2 },
};
const LJ_MELT: JobSpec = {
  resources: RESOURCES,
  md: { template: 'lj-melt', params: { atomsPerSide: 4, temperature: 3, steps: 100, thermoEvery: 10, seed: 87287 } },
};

export async function newUser(ds: DataSource, role: User['role'] = 'user'): Promise<User> {
  return ds.getRepository(User).save({ email: `u-${randomUUID()}@example.org`, passwordHash: 'x', role });
}

/**
 * A job row in any status, written directly (test set-up only: real code goes through
 * JobTransitions). Its history holds one event for the status it starts in.
 */
export async function newJob(
  ds: DataSource,
  ownerId: string,
  status = JobStatus.Pending,
  type: JobType = 'qc',
  spec?: JobSpec,
): Promise<Job> {
  const job = await ds.getRepository(Job).save({
    id: randomUUID(),
    ownerId,
    type,
    engine: type === 'md' ? 'lammps' : 'xtb',
    status,
    spec: spec ?? (type === 'md' ? LJ_MELT : WATER_XTB),
  });
  await ds.getRepository(JobEvent).insert({ jobId: job.id, fromStatus: null, toStatus: status, actor: 'test' });
  return job;
}
