import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { JobEvent } from '../../src/jobs/job-event.entity';
import { JobStatus, type JobType } from '../../src/jobs/job-status';
import { Job } from '../../src/jobs/job.entity';
import { User } from '../../src/users/user.entity';

export async function newUser(ds: DataSource, role: User['role'] = 'user'): Promise<User> {
  return ds.getRepository(User).save({ email: `u-${randomUUID()}@example.org`, passwordHash: 'x', role });
}

/**
 * A job row in any status, written directly (test set-up only: real code goes through
 * JobTransitions). Its history holds one event for the status it starts in.
 */
export async function newJob(ds: DataSource, ownerId: string, status = JobStatus.Pending, type: JobType = 'qc'): Promise<Job> {
  const job = await ds.getRepository(Job).save({
    id: randomUUID(),
    ownerId,
    type,
    engine: type === 'md' ? 'lammps' : 'xtb',
    status,
    spec: { test: true },
  });
  await ds.getRepository(JobEvent).insert({ jobId: job.id, fromStatus: null, toStatus: status, actor: 'test' });
  return job;
}
