import type { DataSource } from 'typeorm';
import { JobEvent } from '../../src/jobs/job-event.entity';
import { IllegalTransitionError, canTransition } from '../../src/jobs/job-state-machine';
import { JOB_STATUSES, JobStatus } from '../../src/jobs/job-status';
import { JobNotFoundError, JobTransitions } from '../../src/jobs/job-transitions';
import { Job } from '../../src/jobs/job.entity';
import { openDataSource } from '../support/data-source';
import { newJob, newUser } from '../support/job-factory';
import { newWorld, setUpWorld, tearDownWorld } from '../support/test-config';

const world = newWorld();
let ds: DataSource;
let transitions: JobTransitions;
let ownerId: string;

beforeAll(async () => {
  await setUpWorld(world);
  ds = await openDataSource(world);
  transitions = new JobTransitions(ds);
  ownerId = (await newUser(ds)).id;
});

afterAll(async () => {
  await ds?.destroy();
  await tearDownWorld(world);
});

const events = (jobId: string) => ds.getRepository(JobEvent).find({ where: { jobId }, order: { id: 'ASC' } });

const pairs = JOB_STATUSES.flatMap((from) => JOB_STATUSES.map((to) => [from, to] as const));
const legal = pairs.filter(([from, to]) => canTransition(from, to));
const illegal = pairs.filter(([from, to]) => !canTransition(from, to));

describe('JobTransitions against PostgreSQL', () => {
  it.each(legal)('%s -> %s updates the job and writes exactly one event', async (from, to) => {
    const job = await newJob(ds, ownerId, from);
    const before = await events(job.id);
    const updated = await transitions.transition(job.id, to, { actor: 'test:legal', message: 'why' });
    expect(updated.status).toBe(to);
    expect((await ds.getRepository(Job).findOneByOrFail({ id: job.id })).status).toBe(to);
    const after = await events(job.id);
    expect(after).toHaveLength(before.length + 1);
    expect(after[after.length - 1]).toMatchObject({
      fromStatus: from,
      toStatus: to,
      actor: 'test:legal',
      message: 'why',
    });
  });

  it.each(illegal)('%s -> %s is refused and leaves no trace', async (from, to) => {
    const job = await newJob(ds, ownerId, from);
    await expect(transitions.transition(job.id, to, { actor: 'test:illegal' })).rejects.toBeInstanceOf(
      IllegalTransitionError,
    );
    expect((await ds.getRepository(Job).findOneByOrFail({ id: job.id })).status).toBe(from);
    expect(await events(job.id)).toHaveLength(1);
  });

  it('stamps started_at on RUNNING and finished_at on a final state', async () => {
    const job = await newJob(ds, ownerId, JobStatus.Dispatched);
    const running = await transitions.transition(job.id, JobStatus.Running, { actor: 't' });
    expect(running.startedAt).toBeInstanceOf(Date);
    const failed = await transitions.transition(job.id, JobStatus.Failed, {
      actor: 't',
      patch: { error: 'lmp exited 1' },
    });
    expect(failed.finishedAt).toBeInstanceOf(Date);
    expect((await ds.getRepository(Job).findOneByOrFail({ id: job.id })).error).toBe('lmp exited 1');
  });

  it('rolls the event back when the caller transaction fails', async () => {
    const job = await newJob(ds, ownerId, JobStatus.Pending);
    await expect(
      ds.transaction(async (m) => {
        await transitions.transitionWithin(m, job.id, JobStatus.Queued, { actor: 't' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await ds.getRepository(Job).findOneByOrFail({ id: job.id })).status).toBe(JobStatus.Pending);
    expect(await events(job.id)).toHaveLength(1);
  });

  it('serialises concurrent transitions of one job: exactly one of two racing moves wins', async () => {
    const job = await newJob(ds, ownerId, JobStatus.Reporting);
    const results = await Promise.allSettled([
      transitions.transition(job.id, JobStatus.Completed, { actor: 'a' }),
      transitions.transition(job.id, JobStatus.Cancelled, { actor: 'b' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof IllegalTransitionError)).toHaveLength(
      1,
    );
    expect(await events(job.id)).toHaveLength(2);
  });

  it('moves a batch in one transaction: legal rows move with one event each, the others stay untouched', async () => {
    const movers = [await newJob(ds, ownerId, JobStatus.Pending), await newJob(ds, ownerId, JobStatus.Pending)];
    const stayer = await newJob(ds, ownerId, JobStatus.Completed);
    const ids = [...movers, stayer].map((j) => j.id);
    const moved = await ds.transaction((m) =>
      transitions.transitionMany(m, ids, JobStatus.Queued, 'test:batch', new Map([[movers[0].id, 'first']])),
    );
    expect(moved.sort()).toEqual(movers.map((j) => j.id).sort());
    for (const j of movers) {
      expect((await ds.getRepository(Job).findOneByOrFail({ id: j.id })).status).toBe(JobStatus.Queued);
      const evs = await events(j.id);
      expect(evs).toHaveLength(2);
      expect(evs[1]).toMatchObject({ fromStatus: JobStatus.Pending, toStatus: JobStatus.Queued, actor: 'test:batch' });
    }
    expect((await events(movers[0].id))[1].message).toBe('first');
    expect((await ds.getRepository(Job).findOneByOrFail({ id: stayer.id })).status).toBe(JobStatus.Completed);
    expect(await events(stayer.id)).toHaveLength(1);
  });

  it('reports an unknown job as JobNotFoundError', async () => {
    await expect(
      transitions.transition('00000000-0000-4000-8000-000000000000', JobStatus.Queued, { actor: 't' }),
    ).rejects.toBeInstanceOf(JobNotFoundError);
  });

  it('creates a job with its first event in one transaction', async () => {
    const created = await ds.transaction((m) =>
      transitions.create(
        m,
        Object.assign(new Job(), {
          id: '6f1c1d1e-9c55-4e55-9d55-1a2b3c4d5e6f',
          ownerId,
          type: 'md',
          engine: 'lammps',
          spec: { resources: { tasks: 1, walltimeMinutes: 1, memoryMb: 100 } },
        }),
        'user:test',
      ),
    );
    expect(created.status).toBe(JobStatus.Pending);
    expect(await events(created.id)).toEqual([
      expect.objectContaining({ fromStatus: null, toStatus: JobStatus.Pending, actor: 'user:test' }),
    ]);
  });
});
