import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { QueueName } from '../../queues';
import { JobStatus } from '../../src/jobs/job-status';
import { JobStore } from '../../src/jobs/job-store';
import { QueueProducer } from '../../src/queueing/queue-producer';
import { WorkerTokensService } from '../../src/worker-tokens/worker-tokens.service';
import { eventually } from '../support/eventually';
import { newJob } from '../support/job-factory';
import { binaryBody } from '../support/binary-body';
import { xtbJob } from '../support/specs';
import { newWorld, setUpWorld, tearDownWorld } from '../support/test-config';
import { TestPlatform } from '../support/test-master';

const world = newWorld({ LEASE_MS: '1500', LEASE_CHECK_MS: '500', CLAIM_WAIT_MS: '5000' });
const platform = new TestPlatform(world);
let user: Awaited<ReturnType<TestPlatform['newUser']>>;
let bridge: string;
let qcOnly: string;

beforeAll(async () => {
  await setUpWorld(world);
  await platform.start([QueueName.Ingestion]); // no local md/qc pool: only the bridge takes runs
  user = await platform.newUser();
  const tokens = platform.app.get(WorkerTokensService);
  bridge = `Bearer ${(await tokens.create('campus-01', ['md', 'qc'])).token}`;
  qcOnly = `Bearer ${(await tokens.create('qc-only', ['qc'])).token}`;
});

afterAll(async () => {
  await platform.stop();
  await tearDownWorld(world);
});

const http = () => platform.http();
const post = (path: string, body: object, auth = bridge) =>
  http().post(`/api/v1/workers/jobs${path}`).set('Authorization', auth).send(body);
const claim = (body: object = {}, auth = bridge) =>
  post('/claim', { queues: ['md', 'qc'], waitMs: 300, ...body }, auth);
const row = async (id: string) =>
  (await platform.app.get(DataSource).query('SELECT status, progress, scheduler_id FROM jobs WHERE id = $1', [id]))[0];
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

async function submitQueued(): Promise<string> {
  const { body } = await http().post('/api/v1/jobs').set('Authorization', user.auth).send(xtbJob()).expect(202);
  await eventually(async () => (await row(body.id)).status === 'QUEUED');
  return body.id;
}

async function claimOne(): Promise<Record<string, any>> {
  const res = await claim({ waitMs: 3000 }).expect(200);
  expect(res.body.jobs).toHaveLength(1);
  return res.body.jobs[0];
}

describe('pull API driven as a bridge would', () => {
  it('refuses anyone without a worker token, and queues the token does not cover', async () => {
    await http()
      .post('/api/v1/workers/jobs/claim')
      .send({ queues: ['md'] })
      .expect(401);
    await claim({}, user.auth).expect(401);
    const res = await claim({ queues: ['md'] }, qcOnly).expect(400);
    expect(res.body.message).toEqual(['queues: this token may not take md']);
    await claim({ queues: ['ingestion'] }).expect(400);
  });

  it('a claim asked again with the same claimId (its answer was lost) gets the same jobs and lease back; another claim does not', async () => {
    const id = await submitQueued();
    const claimId = randomUUID();
    let first: Record<string, any>[] = [];
    await eventually(
      async () => (first = (await claim({ claimId, waitMs: 1000 }).expect(200)).body.jobs).length > 0,
      10_000,
      50,
    );
    expect(first.map((j) => j.jobId)).toEqual([id]);
    const again = (await claim({ claimId, waitMs: 300 }).expect(200)).body.jobs;
    expect(again.map((j: Record<string, any>) => [j.jobId, j.leaseToken])).toEqual([[id, claimId]]);
    expect(again[0].inputs.map((i: { name: string }) => i.name)).toEqual(
      first[0].inputs.map((i: { name: string }) => i.name),
    );
    expect((await claim({ claimId: randomUUID(), waitMs: 300 }).expect(200)).body.jobs).toEqual([]);
    expect((await row(id)).status).toBe('DISPATCHED'); // leased once: one DISPATCHED, no detour through QUEUED
    await post(`/${id}/fail`, { leaseToken: claimId, message: 'test done', retryable: false }).expect(200);
    await claim({ claimId: 'not-a-uuid' }).expect(400, /claimId: must be a UUID v4/);
  });

  it('an empty claim answers with no jobs after the wait', async () => {
    const t = Date.now();
    expect((await claim({ waitMs: 300 }).expect(200)).body).toEqual({ jobs: [] });
    expect(Date.now() - t).toBeGreaterThanOrEqual(290);
  });

  it('a waiting long-poll answers within 200 ms of a job arriving', async () => {
    const job = await newJob(platform.app.get(DataSource), user.id, JobStatus.Queued, 'qc');
    const polling = claim({ waitMs: 5000 });
    const pending = polling.then((r) => ({ r, at: Date.now() }));
    await new Promise((r) => setTimeout(r, 700));
    const arrived = Date.now();
    await platform.app.get(QueueProducer).enqueue(QueueName.Qc, { jobId: job.id });
    const { r, at } = await pending;
    expect(r.body.jobs.map((j: { jobId: string }) => j.jobId)).toEqual([job.id]);
    expect(at - arrived).toBeLessThan(200);
    await post(`/${job.id}/fail`, {
      leaseToken: r.body.jobs[0].leaseToken,
      message: 'test done',
      retryable: false,
    }).expect(200);
  });

  it('claim, download inputs, heartbeats with scheduler id/state/progress, upload, complete → UPLOADING', async () => {
    const id = await submitQueued();
    const lease = await claimOne();
    expect(lease).toMatchObject({
      jobId: id,
      queue: 'qc',
      engine: 'xtb',
      schedulerId: null,
      attempt: 1,
      command: { program: 'xtb' },
    });
    expect((await row(id)).status).toBe('DISPATCHED');
    expect(await platform.app.get(QueueProducer).queue(QueueName.Qc).getJobState(id)).toBe('active');

    const xyz = lease.inputs.find((i: { name: string }) => i.name === 'molecule.xyz');
    const download = await http().get(xyz.url).buffer(true).parse(binaryBody).expect(200);
    expect(sha256(download.body)).toBe(xyz.sha256);
    await http()
      .get(xyz.url.replace(/signature=[0-9a-f]{4}/, 'signature=0000'))
      .expect(403);

    const beat = await post(`/${id}/heartbeat`, {
      leaseToken: lease.leaseToken,
      schedulerId: '4242',
      schedulerState: 'RUNNING',
      progress: 0.3,
    }).expect(200);
    expect(beat.body).toEqual({ cancel: false, leaseMs: 1500 });
    expect(await row(id)).toEqual({ status: 'RUNNING', progress: 0.3, scheduler_id: '4242' });
    expect((await platform.app.get(QueueProducer).queue(QueueName.Qc).getJob(id))?.progress).toBe(30);

    const output = Buffer.from('{"total energy": -5.07}\n');
    const urls = (
      await post(`/${id}/upload-urls`, { leaseToken: lease.leaseToken, names: ['xtbout.json'] }).expect(200)
    ).body.urls;
    const put = await http().put(urls[0].url).set('Content-Type', 'application/octet-stream').send(output).expect(201);
    expect(put.body).toEqual({ size: output.length, sha256: sha256(output) });
    await post(`/${id}/complete`, {
      leaseToken: lease.leaseToken,
      files: [{ name: 'missing.log', size: 1, sha256: 'a'.repeat(64) }],
    }).expect(400);
    const done = await post(`/${id}/complete`, {
      leaseToken: lease.leaseToken,
      files: [{ name: 'xtbout.json', size: output.length, sha256: sha256(output) }],
    }).expect(200);
    expect(done.body).toEqual({ status: 'UPLOADING' });
    expect((await row(id)).status).toBe('UPLOADING');
    expect(await platform.app.get(QueueProducer).queue(QueueName.Upload).getJobState(id)).toBe('waiting');
    expect(await platform.app.get(QueueProducer).queue(QueueName.Qc).getJobState(id)).toBe('completed');

    // the lease is over: its token no longer holds
    const stale = await post(`/${id}/heartbeat`, { leaseToken: lease.leaseToken }).expect(409);
    expect(stale.body.message).toMatch(/^leaseToken: /);
  });

  it('a stale or made-up lease token gets 409; another token scope gets 404', async () => {
    const id = await submitQueued();
    const lease = await claimOne();
    await post(`/${id}/heartbeat`, { leaseToken: randomUUID() }).expect(409);
    await post(`/${id}/complete`, { leaseToken: randomUUID(), files: [] }).expect(409);
    const md = await newJob(platform.app.get(DataSource), user.id, JobStatus.Queued, 'md');
    await post(`/${md.id}/heartbeat`, { leaseToken: lease.leaseToken }, qcOnly).expect(404);
    await post(`/${id}/fail`, { leaseToken: lease.leaseToken, message: 'cleanup', retryable: false }).expect(200);
    expect((await row(id)).status).toBe('FAILED');
  });

  it('a lease left to expire comes back to the next claim with its scheduler id; the old token gets 409', async () => {
    const id = await submitQueued();
    const first = await claimOne();
    await post(`/${id}/heartbeat`, {
      leaseToken: first.leaseToken,
      schedulerId: '777',
      schedulerState: 'PENDING',
    }).expect(200);
    // no more heartbeats: LEASE_MS 1.5 s, checked every 0.5 s
    const again = await claim({ waitMs: 5000 }).expect(200);
    expect(again.body.jobs).toHaveLength(1);
    expect(again.body.jobs[0]).toMatchObject({ jobId: id, schedulerId: '777' });
    expect(again.body.jobs[0].leaseToken).not.toBe(first.leaseToken);
    await post(`/${id}/heartbeat`, { leaseToken: first.leaseToken }).expect(409);
    await post(`/${id}/heartbeat`, { leaseToken: again.body.jobs[0].leaseToken }).expect(200);
    const events = await platform.app
      .get(DataSource)
      .query('SELECT to_status FROM job_events WHERE job_id = $1 ORDER BY id', [id]);
    expect(events.map((e: { to_status: string }) => e.to_status)).toEqual([
      'PENDING',
      'QUEUED',
      'DISPATCHED',
      'QUEUED',
      'DISPATCHED',
    ]);
    await post(`/${id}/fail`, {
      leaseToken: again.body.jobs[0].leaseToken,
      message: 'cleanup',
      retryable: false,
    }).expect(200);
  });

  it('a claim that fails mid-way (PostgreSQL away) gives its jobs back to the queue at once, not when the lease lapses', async () => {
    const id = await submitQueued();
    const store = platform.app.get(JobStore);
    const read = store.get.bind(store);
    const away = jest.spyOn(store, 'get').mockImplementation(async (jobId, columns) => {
      if (jobId !== id) return read(jobId, columns);
      away.mockRestore();
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    const failed = await claim({ waitMs: 3000 });
    expect(failed.status).toBe(503);
    // LEASE_MS is 1.5 s here: a job still held by the failed claim would be 'active' until then
    expect(await platform.app.get(QueueProducer).queue(QueueName.Qc).getJobState(id)).not.toBe('active');
    const taken = await claimOne();
    expect(taken.jobId).toBe(id);
    await post(`/${id}/fail`, { leaseToken: taken.leaseToken, message: 'cleanup', retryable: false }).expect(200);
  });

  it('heartbeats keep the lease while PostgreSQL is away (503), for longer than LEASE_MS', async () => {
    const id = await submitQueued();
    const lease = await claimOne();
    const store = platform.app.get(JobStore);
    const read = store.get.bind(store);
    const away = jest.spyOn(store, 'get').mockImplementation(async (jobId, columns) => {
      if (jobId === id) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      return read(jobId, columns);
    });
    try {
      const until = Date.now() + 3_000; // LEASE_MS is 1.5 s here, checked every 0.5 s
      while (Date.now() < until) {
        await post(`/${id}/heartbeat`, { leaseToken: lease.leaseToken }).expect(503);
        await new Promise((r) => setTimeout(r, 400));
      }
    } finally {
      away.mockRestore();
    }
    await post(`/${id}/heartbeat`, { leaseToken: lease.leaseToken }).expect(200);
    await post(`/${id}/fail`, { leaseToken: lease.leaseToken, message: 'cleanup', retryable: false }).expect(200);
  });

  it("a user's cancel shows in the next heartbeat reply; the bridge's fail then ends the lease", async () => {
    const id = await submitQueued();
    const lease = await claimOne();
    await http().post(`/api/v1/jobs/${id}/cancel`).set('Authorization', user.auth).expect(200);
    const beat = await post(`/${id}/heartbeat`, { leaseToken: lease.leaseToken }).expect(200);
    expect(beat.body.cancel).toBe(true);
    expect(
      (
        await post(`/${id}/fail`, { leaseToken: lease.leaseToken, message: 'scancel done', retryable: false }).expect(
          200,
        )
      ).body,
    ).toEqual({ status: 'CANCELLED' });
    expect((await row(id)).status).toBe('CANCELLED');
    const entry = (await platform.app.get(QueueProducer).queue(QueueName.Qc).getJob(id))!;
    expect({ state: await entry.getState(), value: entry.returnvalue }).toEqual({
      state: 'completed',
      value: { cancelled: true },
    });
  });

  it('a retryable failure puts the job back in its queue (with backoff); a final one fails it', async () => {
    const id = await submitQueued();
    const lease = await claimOne();
    await post(`/${id}/heartbeat`, {
      leaseToken: lease.leaseToken,
      schedulerId: 'slurm:campus:4242',
      schedulerState: 'RUNNING',
    }).expect(200);
    const res = await post(`/${id}/fail`, {
      leaseToken: lease.leaseToken,
      message: 'node went down',
      retryable: true,
    }).expect(200);
    expect(res.body).toEqual({ status: 'QUEUED' });
    expect((await row(id)).scheduler_id).toBeNull(); // that Slurm job is over: the next claim must submit afresh, not re-attach
    expect(await platform.app.get(QueueProducer).queue(QueueName.Qc).getJobState(id)).toBe('delayed');
  });

  it("a retryable failure on the entry's last attempt fails the job at once, with the reason (the lifecycle counts attempts)", async () => {
    const id = await submitQueued();
    const entry = async () => (await platform.app.get(QueueProducer).queue(QueueName.Qc).getJob(id))!;
    const answers: string[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const lease = await claimOne();
      expect({ jobId: lease.jobId, attempt: lease.attempt }).toEqual({ jobId: id, attempt });
      const res = await post(`/${id}/fail`, {
        leaseToken: lease.leaseToken,
        message: 'node went down',
        retryable: true,
      });
      answers.push(res.body.status);
      if (res.body.status === 'QUEUED') await (await entry()).promote(); // past its backoff now
    }
    expect(answers).toEqual(['QUEUED', 'QUEUED', 'FAILED']);
    const [failed] = await platform.app.get(DataSource).query('SELECT status, error FROM jobs WHERE id = $1', [id]);
    expect(failed).toEqual({ status: 'FAILED', error: 'node went down' });
    expect(await (await entry()).getState()).toBe('failed');
  });

  it('shows waiting jobs read-only at the old polling URL', async () => {
    const id = await submitQueued();
    const res = await http()
      .get('/api/v1/workers/jobs/pending?job_type=QC&limit=50')
      .set('Authorization', bridge)
      .expect(200);
    expect(res.body.jobs.map((j: { jobId: string }) => j.jobId)).toContain(id);
    expect(res.body.jobs.every((j: { jobType: string }) => j.jobType === 'QC')).toBe(true);
    await http().get('/api/v1/workers/jobs/pending?job_type=GPU').set('Authorization', bridge).expect(400);
    const mdOnly = await http()
      .get('/api/v1/workers/jobs/pending?job_type=MD')
      .set('Authorization', qcOnly)
      .expect(200);
    expect(mdOnly.body.jobs).toEqual([]);
  });

  it('dispatch is fair: a user with 300 waiting jobs does not starve a user with one', async () => {
    const heavy = await platform.newUser();
    const light = await platform.newUser();
    const batch = await http()
      .post('/api/v1/jobs/bulk')
      .set('Authorization', heavy.auth)
      .send({ jobs: Array.from({ length: 300 }, () => xtbJob()) })
      .expect(202);
    const ds = platform.app.get(DataSource);
    const queued = async (owner: string) =>
      Number((await ds.query(`SELECT count(*) FROM jobs WHERE owner_id = $1 AND status = 'QUEUED'`, [owner]))[0].count);
    await eventually(async () => (await queued(heavy.id)) === 300, 30_000);
    const single = (await http().post('/api/v1/jobs').set('Authorization', light.auth).send(xtbJob()).expect(202)).body
      .id;
    await eventually(async () => (await queued(light.id)) === 1);
    const res = await claim({ queues: ['qc'], max: 5 }).expect(200);
    const claimed = res.body.jobs.map((j: { jobId: string }) => j.jobId);
    expect(claimed).toContain(single);
    expect(batch.body.jobIds.indexOf(claimed.find((id: string) => batch.body.jobIds.includes(id)))).toBeLessThan(5);
    for (const j of res.body.jobs)
      await post(`/${j.jobId}/fail`, { leaseToken: j.leaseToken, message: 'test done', retryable: false }).expect(200);
  });
});
