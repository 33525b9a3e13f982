import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { idempotencyOf } from '../../src/submissions/idempotency-key';
import { meltJob, xtbJob } from '../support/specs';
import { newWorld, setUpWorld, tearDownWorld } from '../support/test-config';
import { TestPlatform } from '../support/test-master';

// Idempotency-Key on POST /jobs and /jobs/bulk through the real API, PostgreSQL and Redis.
const world = newWorld();
const platform = new TestPlatform(world);
type User = Awaited<ReturnType<TestPlatform['newUser']>>;

beforeAll(async () => {
  await setUpWorld(world);
  await platform.start();
});

afterAll(async () => {
  await platform.stop();
  await tearDownWorld(world);
});

const http = () => platform.http();
const submit = (user: User, body: object, key?: string) => {
  const req = http().post('/api/v1/jobs').set('Authorization', user.auth);
  return (key ? req.set('Idempotency-Key', key) : req).send(body);
};
const jobsOf = async (user: User): Promise<string[]> =>
  (await platform.app.get(DataSource).query('SELECT id FROM jobs WHERE owner_id = $1 ORDER BY id', [user.id])).map(
    (r: { id: string }) => r.id,
  );

describe('Idempotency-Key', () => {
  it('the same key and request twice: one job, the same answer, the second marked as replayed', async () => {
    const user = await platform.newUser();
    const key = randomUUID();
    const first = await submit(user, xtbJob({ name: 'once' }), key).expect(202);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const again = await submit(user, xtbJob({ name: 'once' }), key).expect(202);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(again.headers.location).toBe(first.headers.location);
    expect(await jobsOf(user)).toEqual([first.body.id]);
    // without a key, the same request is a new job
    await submit(user, xtbJob({ name: 'once' })).expect(202);
    expect(await jobsOf(user)).toHaveLength(2);
  });

  it('20 identical requests at once with one key submit one job, and every answer names it', async () => {
    const user = await platform.newUser();
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 20 }, () => submit(user, xtbJob({ name: 'raced' }), key)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect(await jobsOf(user)).toEqual([...ids]);
    expect(answers.filter((a) => a.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
  });

  it('a key used again with another request is refused with 422 naming the header; keys are per user', async () => {
    const alice = await platform.newUser();
    const bob = await platform.newUser();
    const key = randomUUID();
    const first = await submit(alice, xtbJob({ name: 'first' }), key).expect(202);
    const other = await submit(alice, xtbJob({ name: 'second' }), key).expect(422);
    expect(other.body.message).toEqual([
      expect.stringMatching(/^Idempotency-Key: used in the last 24 h for a different request/),
    ]);
    expect(await jobsOf(alice)).toEqual([first.body.id]);
    // bob's same key is bob's own: a job of his, not alice's answer
    const bobs = await submit(bob, xtbJob({ name: 'first' }), key).expect(202);
    expect(bobs.body.id).not.toBe(first.body.id);
    expect(bobs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('a multipart submission replayed with a file of the same name and size but other bytes is refused with 422', async () => {
    const user = await platform.newUser(['scripts']);
    const key = randomUUID();
    const upload = (data: string) =>
      http()
        .post('/api/v1/jobs')
        .set('Authorization', user.auth)
        .set('Idempotency-Key', key)
        .field('spec', JSON.stringify({ type: 'md', engine: 'lammps', name: 'scripted', md: { script: 'in.box' } }))
        .attach('files', Buffer.from('units lj\nrun 10\n'), 'in.box')
        .attach('files', Buffer.from(data), 'box.data');
    const first = await upload('1 2 3\n').expect(202);
    const replay = await upload('1 2 3\n').expect(202);
    expect(replay.body.id).toBe(first.body.id);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const other = await upload('9 9 9\n').expect(422); // same names and sizes, other bytes
    expect(other.body.message).toEqual([
      expect.stringMatching(/^Idempotency-Key: used in the last 24 h for a different request/),
    ]);
    expect(await jobsOf(user)).toEqual([first.body.id]);
  });

  it('bulk: the same key answers with the same batch and job ids; one batch exists', async () => {
    const user = await platform.newUser();
    const key = randomUUID();
    const body = { name: 'keyed screen', jobs: [xtbJob({ name: 'a' }), xtbJob({ name: 'b' }), meltJob()] };
    const post = () =>
      http()
        .post('/api/v1/jobs/bulk')
        .set('Authorization', user.auth)
        .set('Idempotency-Key', key)
        .send(body)
        .expect(202);
    const first = await post();
    const again = await post();
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.location).toBe(`/api/v1/batches/${first.body.batchId}`);
    const batches = await platform.app.get(DataSource).query('SELECT id FROM batches WHERE owner_id = $1', [user.id]);
    expect(batches).toEqual([{ id: first.body.batchId }]);
    expect(await jobsOf(user)).toEqual([...first.body.jobIds].sort());
    // the same key for one more job in the batch is another request
    await http()
      .post('/api/v1/jobs/bulk')
      .set('Authorization', user.auth)
      .set('Idempotency-Key', key)
      .send({ ...body, jobs: [...body.jobs, xtbJob()] })
      .expect(422);
  });

  it('a first attempt that stopped after choosing its job id: the retry submits that job, once', async () => {
    const user = await platform.newUser();
    const key = randomUUID();
    const body = xtbJob({ name: 'interrupted' });
    const planned = randomUUID();
    // what a master that died between recording the key and inserting the job leaves behind
    await platform.app
      .get(DataSource)
      .query('INSERT INTO idempotency_keys (owner_id, key, request_sha256, job_ids) VALUES ($1, $2, $3, $4)', [
        user.id,
        key,
        idempotencyOf(key, body)!.requestSha256,
        [planned],
      ]);
    const retry = await submit(user, body, key).expect(202);
    expect(retry.body.id).toBe(planned);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await jobsOf(user)).toEqual([planned]);
    const status = await http().get(`/api/v1/jobs/${planned}`).set('Authorization', user.auth).expect(200);
    expect(status.body.name).toBe('interrupted');
  });

  it('a key older than 24 h starts a new submission; a refused request does not use its key up', async () => {
    const user = await platform.newUser();
    const key = randomUUID();
    const first = await submit(user, xtbJob(), key).expect(202);
    await platform.app
      .get(DataSource)
      .query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE owner_id = $1`, [user.id]);
    const later = await submit(user, xtbJob({ name: 'a day later' }), key).expect(202);
    expect(later.body.id).not.toBe(first.body.id);
    expect(later.headers['idempotent-replayed']).toBeUndefined();

    const fresh = randomUUID();
    await submit(user, xtbJob({ qc: { ...xtbJob().qc, multiplicity: 2 } }), fresh).expect(400);
    const fixed = await submit(user, xtbJob({ name: 'fixed' }), fresh).expect(202);
    expect(fixed.headers['idempotent-replayed']).toBeUndefined();
    expect(await jobsOf(user)).toHaveLength(3);
  });
});
