import type { DataSource } from 'typeorm';
import { JobEvent } from '../../src/jobs/job-event.entity';
import { IllegalTransitionError, canTransition } from '../../src/jobs/job-state-machine';
import { JOB_STATUSES, JobStatus } from '../../src/jobs/job-status';
import { JobNotFoundError, JobTransitions } from '../../src/jobs/job-transitions';
import { JobPipeline } from '../../src/jobs/job-pipeline';
import type { QueueProducer } from '../../src/queueing/queue-producer';
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
  transitions = new JobTransitions();
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

/** One job moved on its own, as a stage moves it: strict (refused → IllegalTransitionError naming its status). */
const move = (id: string, to: JobStatus, options: { actor: string; message?: string; patch?: object }) =>
  ds.transaction(async (m) => {
    const [moved] = await transitions.advance(m, [id], to, options as never);
    if (!moved) await transitions.whyNotMoved(m, id, to);
    return moved;
  });

describe('JobTransitions.advance against PostgreSQL: one conditional statement', () => {
  it.each(legal)('%s -> %s updates the job and writes exactly one event', async (start, to) => {
    const job = await newJob(ds, ownerId, start);
    const before = await events(job.id);
    const moved = await move(job.id, to, { actor: 'test:legal', message: 'why' });
    expect(moved).toMatchObject({ id: job.id, from: start, status: to, type: job.type, ownerId });
    expect((await ds.getRepository(Job).findOneByOrFail({ id: job.id })).status).toBe(to);
    const after = await events(job.id);
    expect(after).toHaveLength(before.length + 1);
    expect(after[after.length - 1]).toMatchObject({
      fromStatus: start,
      toStatus: to,
      actor: 'test:legal',
      message: 'why',
    });
  });

  it.each(illegal)('%s -> %s is refused and leaves no trace', async (start, to) => {
    const job = await newJob(ds, ownerId, start);
    await expect(move(job.id, to, { actor: 'test:illegal' })).rejects.toBeInstanceOf(IllegalTransitionError);
    expect((await ds.getRepository(Job).findOneByOrFail({ id: job.id })).status).toBe(start);
    expect(await events(job.id)).toHaveLength(1);
  });

  it('a `from` the state machine forbids is a programming error, thrown before any statement', async () => {
    const job = await newJob(ds, ownerId, JobStatus.Completed);
    await expect(
      ds.transaction((m) =>
        transitions.advance(m, [job.id], JobStatus.Queued, { from: JobStatus.Completed, actor: 't' }),
      ),
    ).rejects.toBeInstanceOf(IllegalTransitionError);
  });

  it('only jobs still in `from` move: a job that left it meanwhile is untouched, with no event', async () => {
    const queued = await newJob(ds, ownerId, JobStatus.Queued);
    const cancelled = await newJob(ds, ownerId, JobStatus.Queued);
    await ds.transaction((m) => transitions.advance(m, [cancelled.id], JobStatus.Cancelled, { actor: 'owner' }));
    const moved = await ds.transaction((m) =>
      transitions.advance(m, [queued.id, cancelled.id], JobStatus.Dispatched, {
        from: JobStatus.Queued,
        actor: 'pool',
      }),
    );
    expect(moved.map((j) => j.id)).toEqual([queued.id]);
    expect((await events(cancelled.id)).map((e) => e.toStatus)).toEqual([JobStatus.Queued, JobStatus.Cancelled]);
  });

  it('what a status sets is applied by the statement: started_at on RUNNING (kept on a second run), finished_at on a final state, a clean slate on PENDING; a patch wins', async () => {
    const job = await newJob(ds, ownerId, JobStatus.Dispatched);
    const row = () => ds.getRepository(Job).findOneByOrFail({ id: job.id });
    await move(job.id, JobStatus.Running, { actor: 't', patch: { schedulerId: 'local:h:1' } });
    const started = (await row()).startedAt;
    expect(started).toBeInstanceOf(Date);
    expect((await row()).schedulerId).toBe('local:h:1');
    await move(job.id, JobStatus.Failed, { actor: 't', patch: { error: 'lmp exited 1', progress: 0.5 } });
    expect(await row()).toMatchObject({ error: 'lmp exited 1', progress: 0.5, startedAt: started });
    expect((await row()).finishedAt).toBeInstanceOf(Date);
    await move(job.id, JobStatus.Pending, { actor: 'owner' });
    expect(await row()).toMatchObject({
      error: null,
      startedAt: null,
      finishedAt: null,
      schedulerId: null,
      progress: 0,
    });
    await move(job.id, JobStatus.Completed, {
      actor: 'reuse',
      patch: { quantities: [{ key: 'e', label: 'E', value: -5.07, unit: 'Eh' }], engineVersion: 'xtb 6.5.1' },
    });
    expect(await row()).toMatchObject({
      progress: 1,
      engineVersion: 'xtb 6.5.1',
      quantities: [{ key: 'e', value: -5.07 }],
    });
  });

  it('rolls the event back when the caller transaction fails', async () => {
    const job = await newJob(ds, ownerId, JobStatus.Pending);
    await expect(
      ds.transaction(async (m) => {
        await transitions.advance(m, [job.id], JobStatus.Queued, { actor: 't' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await ds.getRepository(Job).findOneByOrFail({ id: job.id })).status).toBe(JobStatus.Pending);
    expect(await events(job.id)).toHaveLength(1);
  });

  it('serialises concurrent moves of one job: exactly one of two racing moves wins', async () => {
    const job = await newJob(ds, ownerId, JobStatus.Reporting);
    const results = await Promise.allSettled([
      move(job.id, JobStatus.Completed, { actor: 'a' }),
      move(job.id, JobStatus.Cancelled, { actor: 'b' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof IllegalTransitionError)).toHaveLength(
      1,
    );
    expect(await events(job.id)).toHaveLength(2);
  });

  it('moves many jobs in one statement: legal rows move with one event each (their own message), the others stay untouched', async () => {
    const movers = [await newJob(ds, ownerId, JobStatus.Pending), await newJob(ds, ownerId, JobStatus.Pending)];
    const stayer = await newJob(ds, ownerId, JobStatus.Completed);
    const ids = [...movers, stayer].map((j) => j.id);
    const queries: string[] = [];
    const moved = await ds.transaction((m) => {
      const query = m.query.bind(m);
      m.query = ((sql: string, params?: unknown[]) => (queries.push(sql), query(sql, params))) as typeof m.query;
      return transitions.advance(m, ids, JobStatus.Queued, {
        actor: 'test:batch',
        message: new Map([[movers[0].id, 'first']]),
      });
    });
    expect(queries).toHaveLength(1);
    expect(moved.map((j) => j.id).sort()).toEqual(movers.map((j) => j.id).sort());
    for (const j of movers) {
      expect((await ds.getRepository(Job).findOneByOrFail({ id: j.id })).status).toBe(JobStatus.Queued);
      const evs = await events(j.id);
      expect(evs).toHaveLength(2);
      expect(evs[1]).toMatchObject({ fromStatus: JobStatus.Pending, toStatus: JobStatus.Queued, actor: 'test:batch' });
    }
    expect((await events(movers[0].id))[1].message).toBe('first');
    expect((await events(movers[1].id))[1].message).toBeNull();
    expect((await ds.getRepository(Job).findOneByOrFail({ id: stayer.id })).status).toBe(JobStatus.Completed);
    expect(await events(stayer.id)).toHaveLength(1);
  });

  it('reports an unknown job as JobNotFoundError', async () => {
    await expect(move('00000000-0000-4000-8000-000000000000', JobStatus.Queued, { actor: 't' })).rejects.toBeInstanceOf(
      JobNotFoundError,
    );
  });

  it("creates jobs with their first events in the pipeline's transaction", async () => {
    const pipeline = new JobPipeline(ds, transitions, {} as QueueProducer);
    const job = Object.assign(new Job(), {
      id: '6f1c1d1e-9c55-4e55-9d55-1a2b3c4d5e6f',
      ownerId,
      type: 'md',
      engine: 'lammps',
      spec: { resources: { tasks: 1, walltimeMinutes: 1, memoryMb: 100 } },
    });
    await pipeline.transaction((tx) => tx.create([{ job, actor: 'user:test' }]));
    expect(job.status).toBe(JobStatus.Pending);
    expect(await events(job.id)).toEqual([
      expect.objectContaining({
        fromStatus: null,
        toStatus: JobStatus.Pending,
        actor: 'user:test',
        message: 'submitted',
      }),
    ]);
  });
});
