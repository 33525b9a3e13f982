import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { QueueName } from '../../queues';
import { QueueProducer } from '../../src/queueing/queue-producer';
import { eventually } from '../support/eventually';
import { gaussianJob, meltJob, xtbJob } from '../support/specs';
import { newWorld, setUpWorld, tearDownWorld } from '../support/test-config';
import { TestPlatform } from '../support/test-master';

const world = newWorld({ LOGIN_MAX_PER_ACCOUNT: '3' });
const platform = new TestPlatform(world);
let alice: Awaited<ReturnType<TestPlatform['newUser']>>;
let bob: Awaited<ReturnType<TestPlatform['newUser']>>;

beforeAll(async () => {
  await setUpWorld(world);
  await platform.start();
  alice = await platform.newUser(['scripts']);
  bob = await platform.newUser();
});

afterAll(async () => {
  await platform.stop();
  await tearDownWorld(world);
});

const http = () => platform.http();
const getJob = (id: string, auth = alice.auth) => http().get(`/api/v1/jobs/${id}`).set('Authorization', auth);
const statusOf = async (id: string) => (await getJob(id)).body.status;
const queue = (name: QueueName) => platform.app.get(QueueProducer).queue(name);
const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

describe('accounts', () => {
  it('refuses a second account with the same email, in any case', async () => {
    const res = await http()
      .post('/api/v1/auth/register')
      .send({ email: alice.email.toUpperCase(), password: 'another long password' })
      .expect(409);
    expect(res.body.message).toMatch(/^email: /);
  });

  it('answers a wrong password and an unknown account alike with 401', async () => {
    const wrong = await http()
      .post('/api/v1/auth/login')
      .send({ email: bob.email, password: 'not the password' })
      .expect(401);
    const unknown = await http()
      .post('/api/v1/auth/login')
      .send({ email: 'nobody@example.org', password: 'not the password' })
      .expect(401);
    expect(wrong.body.message).toBe(unknown.body.message);
  });

  it('rate-limits failed logins per account with 429 and a retry time', async () => {
    const victim = await platform.newUser();
    for (let i = 0; i < 3; i++)
      await http()
        .post('/api/v1/auth/login')
        .send({ email: victim.email, password: 'guess number ' + i })
        .expect(401);
    const res = await http()
      .post('/api/v1/auth/login')
      .send({ email: victim.email, password: 'correct horse battery staple' })
      .expect(429);
    expect(res.body.message).toMatch(/too many failed logins for this account; retry in \d+ s/);
  });
});

describe('submission to QUEUED', () => {
  it('POST /jobs answers 202 with id and Location; ingestion renders, stores inputs and queues it on qc', async () => {
    const res = await http()
      .post('/api/v1/jobs')
      .set('Authorization', alice.auth)
      .send(xtbJob({ priority: 2 }))
      .expect(202);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      status: 'PENDING',
      location: `/api/v1/jobs/${res.body.id}`,
    });
    expect(res.headers.location).toBe(`/api/v1/jobs/${res.body.id}`);
    await eventually(async () => (await statusOf(res.body.id)) === 'QUEUED');

    const job = (await getJob(res.body.id)).body;
    expect(job).toMatchObject({ type: 'qc', engine: 'xtb', priority: 2, progress: 0, name: 'water sp' });
    expect(job.spec.qc).toMatchObject({ charge: 0, multiplicity: 1, task: 'sp', gfn: 2 });
    expect(job.events.map((e: { from: string; to: string }) => `${e.from}->${e.to}`)).toEqual([
      'null->PENDING',
      'PENDING->QUEUED',
    ]);
    expect(job.artifacts.map((a: { name: string }) => a.name)).toEqual(['job.json', 'molecule.xyz']);
    expect(job).not.toHaveProperty('ownerId');
    const bull = await queue(QueueName.Qc).getJob(res.body.id);
    expect(bull?.opts.priority).toBe(2);
  });

  it('records each input artifact with its real size and sha256', async () => {
    const { body } = await http().post('/api/v1/jobs').set('Authorization', alice.auth).send(gaussianJob()).expect(202);
    await eventually(async () => (await statusOf(body.id)) === 'QUEUED');
    const gjf = (await getJob(body.id)).body.artifacts.find((a: { name: string }) => a.name === 'input.gjf');
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(`${world.env.STORAGE_DIR}/jobs/${body.id}/inputs/input.gjf`);
    expect(gjf).toMatchObject({ kind: 'input', size: bytes.length, sha256: sha256(bytes) });
    expect(bytes.toString()).toContain('#p B3LYP/6-31G(d) Opt');
  });

  it('an LJ-melt MD job is queued on md', async () => {
    const { body } = await http().post('/api/v1/jobs').set('Authorization', alice.auth).send(meltJob()).expect(202);
    await eventually(async () => (await statusOf(body.id)) === 'QUEUED');
    expect(await queue(QueueName.Md).getJobState(body.id)).not.toBe('unknown');
  });

  it('an MD job with an uploaded LAMMPS script and data file (multipart)', async () => {
    const script = 'units lj\natom_style atomic\nread_data data.lj\nrun 10\n';
    const data = 'LAMMPS data\n\n1 atoms\n1 atom types\n';
    const { body } = await http()
      .post('/api/v1/jobs')
      .set('Authorization', alice.auth)
      .field('spec', JSON.stringify({ type: 'md', engine: 'lammps', md: { script: 'in.lj' } }))
      .attach('files', Buffer.from(script), 'in.lj')
      .attach('files', Buffer.from(data), 'data.lj')
      .expect(202);
    await eventually(async () => (await statusOf(body.id)) === 'QUEUED');
    const artifacts = (await getJob(body.id)).body.artifacts;
    expect(artifacts.find((a: { name: string }) => a.name === 'in.lj')).toMatchObject({
      size: script.length,
      sha256: sha256(script),
    });
    expect(artifacts.find((a: { name: string }) => a.name === 'data.lj')).toMatchObject({
      size: data.length,
      sha256: sha256(data),
    });
  });

  it('bulk: one batch of many jobs, counts per status, filter by batch', async () => {
    const jobs = Array.from({ length: 60 }, (_, i) => (i % 3 ? xtbJob({ name: `mol ${i}` }) : meltJob()));
    const res = await http()
      .post('/api/v1/jobs/bulk')
      .set('Authorization', alice.auth)
      .send({ name: 'screen', jobs })
      .expect(202);
    expect(res.body.jobIds).toHaveLength(60);
    expect(res.headers.location).toBe(`/api/v1/batches/${res.body.batchId}`);
    await eventually(async () => {
      const batch = await http()
        .get(`/api/v1/batches/${res.body.batchId}`)
        .set('Authorization', alice.auth)
        .expect(200);
      return batch.body.counts.QUEUED === 60;
    }, 20_000);
    const page = await http()
      .get(`/api/v1/jobs?batchId=${res.body.batchId}&type=md&pageSize=100`)
      .set('Authorization', alice.auth)
      .expect(200);
    expect(page.body.total).toBe(20);
    // another user filtering by this batch sees nothing of it, not even a count
    const theirs = await http()
      .get(`/api/v1/jobs?batchId=${res.body.batchId}`)
      .set('Authorization', bob.auth)
      .expect(200);
    expect(theirs.body).toMatchObject({ items: [], total: 0, totalExact: true });
    expect(page.body.items.every((j: { type: string }) => j.type === 'md')).toBe(true);
  });
});

describe('listing and cancelling', () => {
  it('lists own jobs newest first, paginated, filtered by status and engine', async () => {
    const user = await platform.newUser();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await http().post('/api/v1/jobs').set('Authorization', user.auth).send(xtbJob()).expect(202)).body.id);
    const first = await http().get('/api/v1/jobs?pageSize=2&page=1').set('Authorization', user.auth).expect(200);
    expect(first.body).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(first.body.items.map((j: { id: string }) => j.id)).toEqual([ids[4], ids[3]]);
    const last = await http().get('/api/v1/jobs?pageSize=2&page=3').set('Authorization', user.auth).expect(200);
    expect(last.body.items.map((j: { id: string }) => j.id)).toEqual([ids[0]]);
    await eventually(
      async () =>
        (await http().get('/api/v1/jobs?status=QUEUED&engine=xtb').set('Authorization', user.auth)).body.total === 5,
    );
    expect((await http().get('/api/v1/jobs?engine=lammps').set('Authorization', user.auth)).body.total).toBe(0);
  });

  it('reads a whole list by cursor, older and back newer, each job once, though a batch shares one created_at', async () => {
    const user = await platform.newUser();
    const res = await http()
      .post('/api/v1/jobs/bulk')
      .set('Authorization', user.auth)
      .send({ jobs: Array.from({ length: 7 }, (_, i) => xtbJob({ name: `c${i}` })) })
      .expect(202);
    const list = (query: string) =>
      http().get(`/api/v1/jobs?pageSize=3${query}`).set('Authorization', user.auth).expect(200);
    const pages = [(await list('')).body];
    expect(pages[0]).toMatchObject({ total: 7, totalExact: true, page: 1, prevCursor: null });
    while (pages[pages.length - 1].nextCursor)
      pages.push((await list(`&cursor=${pages[pages.length - 1].nextCursor}`)).body);
    const ids = pages.flatMap((p) => p.items.map((j: { id: string }) => j.id));
    expect(pages.map((p) => p.items.length)).toEqual([3, 3, 1]);
    expect(new Set(ids)).toEqual(new Set(res.body.jobIds));
    expect(ids).toHaveLength(7);
    // back from the last page: the same middle page, then the first, which says there is nothing newer
    const middle = (await list(`&cursor=${pages[2].prevCursor}`)).body;
    const idsOf = (page: { items: { id: string }[] }) => page.items.map((j) => j.id);
    expect(idsOf(middle)).toEqual(idsOf(pages[1])); // (their status moves on meanwhile: ingestion runs)
    const top = (await list(`&cursor=${middle.prevCursor}`)).body;
    expect(top.items.map((j: { id: string }) => j.id)).toEqual(ids.slice(0, 3));
    expect(top.prevCursor).toBeNull();
    // the same by page number
    expect((await list('&page=3')).body.items.map((j: { id: string }) => j.id)).toEqual(ids.slice(6));
  });

  it('counts a long list up to 1,000 and says so, and pages by number only to 10,000', async () => {
    const user = await platform.newUser();
    await platform.app
      .get(DataSource)
      .query(
        `INSERT INTO jobs (id, owner_id, type, engine, name, status, spec) SELECT gen_random_uuid(), $1, 'qc', 'xtb', 'old ' || i, 'COMPLETED', '{}' FROM generate_series(1, 10005) i`,
        [user.id],
      );
    const first = (await http().get('/api/v1/jobs?pageSize=100').set('Authorization', user.auth).expect(200)).body;
    expect(first).toMatchObject({ total: 1_000, totalExact: false });
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(
      (await http().get('/api/v1/jobs?pageSize=100&page=100').set('Authorization', user.auth).expect(200)).body.items,
    ).toHaveLength(100);
    await http().get('/api/v1/jobs?pageSize=100&page=101').set('Authorization', user.auth).expect(400);
    expect(
      (await http().get('/api/v1/jobs?status=FAILED').set('Authorization', user.auth).expect(200)).body,
    ).toMatchObject({ total: 0, totalExact: true, nextCursor: null });
  });

  it('cancel takes a waiting job off its queue; a second cancel is 409', async () => {
    const { body } = await http().post('/api/v1/jobs').set('Authorization', alice.auth).send(xtbJob()).expect(202);
    await eventually(async () => (await statusOf(body.id)) === 'QUEUED');
    const res = await http().post(`/api/v1/jobs/${body.id}/cancel`).set('Authorization', alice.auth).expect(200);
    expect(res.body).toEqual({ id: body.id, status: 'CANCELLED' });
    expect(await queue(QueueName.Qc).getJobState(body.id)).toBe('unknown');
    const again = await http().post(`/api/v1/jobs/${body.id}/cancel`).set('Authorization', alice.auth).expect(409);
    expect(again.body.message).toBe('status: job is CANCELLED, cannot become CANCELLED');
  });
});

describe('ownership', () => {
  it("another user's job, batch and cancel answer 404, and lists never show them", async () => {
    const { body } = await http().post('/api/v1/jobs').set('Authorization', alice.auth).send(xtbJob()).expect(202);
    const batch = await http()
      .post('/api/v1/jobs/bulk')
      .set('Authorization', alice.auth)
      .send({ jobs: [xtbJob()] })
      .expect(202);
    await getJob(body.id, bob.auth).expect(404);
    await http().post(`/api/v1/jobs/${body.id}/cancel`).set('Authorization', bob.auth).expect(404);
    await http().get(`/api/v1/batches/${batch.body.batchId}`).set('Authorization', bob.auth).expect(404);
    const list = await http().get('/api/v1/jobs?pageSize=100').set('Authorization', bob.auth).expect(200);
    expect(list.body.total).toBe(0);
    expect(await statusOf(body.id)).not.toBe('CANCELLED');
  });
});
