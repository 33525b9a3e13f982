import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { QUEUE_NAMES } from '../../queues';
import { jobKeys } from '../../src/storage/job-keys';
import { UsersService } from '../../src/users/users.service';
import { eventually } from '../support/eventually';
import { WATER, xtbJob as runningXtbJob } from '../support/specs';
import { binaryBody } from '../support/binary-body';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// Nothing computed twice, through the real API with real xtb runs: an identical job takes a finished
// job's results (PENDING → COMPLETED, no engine), unless reuse is off, the result failed, it is another
// user's, or an admin barred the engine version.
const world = newWorld();
const ctx = usePlatform(world, [...QUEUE_NAMES]);
const http = () => ctx.platform.http();
const sql = (text: string, params: unknown[] = []) => ctx.platform.app.get(DataSource).query(text, params);
/** The tests' water job with reuse as the API defaults it (on), unless `over` says. */
const xtbJob = (over: Record<string, unknown> = {}) => ({ ...runningXtbJob(), reuse: undefined, ...over });
const CLASH = '3\nclash\nO 0 0 0.117\nH 0 0 0.117\nH 0 -0.757 -0.467\n'; // two atoms in one place: xtb fails

async function submit(auth: string, job: Record<string, unknown>): Promise<string> {
  return (await http().post('/api/v1/jobs').set('Authorization', auth).send(job).expect(202)).body.id;
}

async function finished(auth: string, id: string) {
  await eventually(
    async () =>
      ['COMPLETED', 'FAILED'].includes((await http().get(`/api/v1/jobs/${id}`).set('Authorization', auth)).body.status),
    120_000,
  );
  return ctx.platform.job(id, auth);
}

async function admin(): Promise<string> {
  const email = `admin-${Math.random().toString(36).slice(2)}@example.org`;
  await ctx.platform.app.get(UsersService).create(email, 'correct horse battery staple', 'admin');
  const login = await http().post('/api/v1/auth/login').send({ email, password: 'correct horse battery staple' });
  return `Bearer ${login.body.accessToken}`;
}

describe('result reuse', () => {
  let original: Awaited<ReturnType<typeof finished>>;

  beforeAll(async () => {
    original = await finished(ctx.user.auth, await submit(ctx.user.auth, xtbJob({ name: 'first water' })));
    expect(original.status).toBe('COMPLETED');
    expect(original.inputHash).toMatch(/^[0-9a-f]{64}$/);
  }, 180_000);

  it('an identical job (other name and walltime) takes the results: COMPLETED without running, artifacts shared', async () => {
    const id = await submit(
      ctx.user.auth,
      xtbJob({ name: 'second water', resources: { tasks: 1, walltimeMinutes: 90, memoryMb: 2000 } }),
    );
    const job = await finished(ctx.user.auth, id);
    expect(job.status).toBe('COMPLETED');
    expect(job.reusedFrom).toBe(original.id);
    expect(job.inputHash).toBe(original.inputHash);
    expect(job.schedulerId).toBeNull();
    expect(job.startedAt).toBeNull();
    expect(job.engineVersion).toBe(original.engineVersion);
    expect(job.quantities).toEqual(original.quantities);
    expect(job.events.map((e: { to: string }) => e.to)).toEqual(['PENDING', 'COMPLETED']);
    expect(job.events[1].message).toContain(`reused from ${original.id}`);
    const key = (a: { name: string; sha256: string }) => `${a.name}:${a.sha256}`;
    expect(job.artifacts.map(key).sort()).toEqual(original.artifacts.map(key).sort());
    const keys = async (jobId: string) =>
      (await sql('SELECT storage_key FROM artifacts WHERE job_id = $1 ORDER BY storage_key', [jobId])).map(
        (r: { storage_key: string }) => r.storage_key,
      );
    expect(await keys(id)).toEqual(await keys(original.id)); // the same stored objects, not copies
    const report = job.artifacts.find((a: { name: string }) => a.name === 'report.json');
    const link = await http()
      .get(`/api/v1/jobs/${id}/artifacts/${report.id}/link`)
      .set('Authorization', ctx.user.auth)
      .expect(200);
    const downloaded = await http().get(link.body.url).buffer(true).parse(binaryBody).expect(200);
    expect(createHash('sha256').update(downloaded.body).digest('hex')).toBe(report.sha256);
    expect(JSON.parse(downloaded.body.toString('utf8')).jobId).toBe(original.id); // the origin's report, shared
  });

  it('other options run: another GFN level, another thread count, or reuse turned off', async () => {
    const gfn1 = await finished(
      ctx.user.auth,
      await submit(ctx.user.auth, xtbJob({ qc: { xyz: WATER, task: 'sp', gfn: 1 } })),
    );
    const threads = await finished(
      ctx.user.auth,
      await submit(ctx.user.auth, xtbJob({ resources: { tasks: 2, walltimeMinutes: 60, memoryMb: 2000 } })),
    );
    const off = await finished(ctx.user.auth, await submit(ctx.user.auth, xtbJob({ reuse: false })));
    for (const job of [gfn1, threads, off]) {
      expect(job.status).toBe('COMPLETED');
      expect(job.reusedFrom).toBeNull();
      expect(job.schedulerId).toMatch(/^local:/);
    }
    expect(gfn1.inputHash).not.toBe(original.inputHash);
    expect(threads.inputHash).not.toBe(original.inputHash);
    expect(off.inputHash).toBe(original.inputHash);
  }, 240_000);

  it('failed results are never reused, nor another user’s', async () => {
    const first = await finished(
      ctx.user.auth,
      await submit(ctx.user.auth, xtbJob({ qc: { xyz: CLASH, task: 'sp', gfn: 2 } })),
    );
    const again = await finished(
      ctx.user.auth,
      await submit(ctx.user.auth, xtbJob({ qc: { xyz: CLASH, task: 'sp', gfn: 2 } })),
    );
    expect([first.status, again.status]).toEqual(['FAILED', 'FAILED']);
    expect(again.reusedFrom).toBeNull();
    expect(again.schedulerId).toMatch(/^local:/);

    const other = await ctx.platform.newUser();
    const theirs = await finished(other.auth, await submit(other.auth, xtbJob()));
    expect(theirs.reusedFrom).toBeNull();
    expect(theirs.schedulerId).toMatch(/^local:/);
  }, 240_000);

  it('a batch reuses per job unless it says otherwise, and gets its final report', async () => {
    const bulk = (body: Record<string, unknown>) =>
      http().post('/api/v1/jobs/bulk').set('Authorization', ctx.user.auth).send(body).expect(202);
    const reused = await bulk({ name: 'all reused', jobs: [xtbJob({ name: 'a' }), xtbJob({ name: 'b' })] });
    const mixed = await bulk({
      name: 'run',
      reuse: false,
      jobs: [xtbJob({ name: 'c' }), xtbJob({ name: 'd', reuse: true })],
    });
    for (const batchId of [reused.body.batchId, mixed.body.batchId])
      await eventually(async () => {
        const b = (await http().get(`/api/v1/batches/${batchId}`).set('Authorization', ctx.user.auth)).body;
        return b.counts.COMPLETED === 2 && b.reports.final !== null;
      }, 120_000);
    // the origin is the newest identical job that ran itself (test 2's reuse:false run, by now)
    const from = async (ids: string[]) =>
      Promise.all(ids.map(async (id) => (await ctx.platform.job(id, ctx.user.auth)).reusedFrom));
    const [a, b] = await from(reused.body.jobIds);
    expect(a).not.toBeNull();
    expect(b).toBe(a);
    const origin = await ctx.platform.job(a, ctx.user.auth);
    expect([origin.status, origin.reusedFrom, origin.inputHash]).toEqual(['COMPLETED', null, original.inputHash]);
    expect(await from(mixed.body.jobIds)).toEqual([null, expect.any(String)]);
  }, 240_000);

  it('an admin bars an engine version from reuse, and allows it again', async () => {
    const body = { engine: 'xtb', engineVersion: original.engineVersion, reuse: false, reason: 'wrong dipoles' };
    await http().post('/api/v1/admin/engine-versions/reuse').set('Authorization', ctx.user.auth).send(body).expect(403);
    const auth = await admin();
    const bad = await http()
      .post('/api/v1/admin/engine-versions/reuse')
      .set('Authorization', auth)
      .send({ ...body, engine: 'vasp' })
      .expect(400);
    expect(bad.body.message.join()).toContain('engine');
    const listed = await http()
      .post('/api/v1/admin/engine-versions/reuse')
      .set('Authorization', auth)
      .send(body)
      .expect(200);
    expect(listed.body).toContainEqual(
      expect.objectContaining({
        engine: 'xtb',
        engineVersion: original.engineVersion,
        reuseBlocked: true,
        reason: 'wrong dipoles',
      }),
    );
    const barred = await finished(ctx.user.auth, await submit(ctx.user.auth, xtbJob()));
    expect(barred.reusedFrom).toBeNull();
    expect(barred.schedulerId).toMatch(/^local:/);

    await http()
      .post('/api/v1/admin/engine-versions/reuse')
      .set('Authorization', auth)
      .send({ ...body, reuse: true })
      .expect(200);
    const allowed = await finished(ctx.user.auth, await submit(ctx.user.auth, xtbJob()));
    expect(allowed.reusedFrom).not.toBeNull();
  }, 240_000);

  it('an uploaded LAMMPS script is matched by its bytes; the reused job keeps none of its own uploads', async () => {
    const script = Buffer.from(
      'units lj\natom_style atomic\nlattice fcc 0.8442\nregion box block 0 3 0 3 0 3\ncreate_box 1 box\n' +
        'create_atoms 1 box\nmass 1 1.0\nvelocity all create 3.0 4242 loop geom\npair_style lj/cut 2.5\n' +
        'pair_coeff 1 1 1.0 1.0 2.5\nfix 1 all nve\nthermo 10\nrun 50\n',
    );
    const send = (bytes: Buffer) =>
      http()
        .post('/api/v1/jobs')
        .set('Authorization', ctx.user.auth)
        .field('spec', JSON.stringify({ type: 'md', engine: 'lammps', md: { script: 'in.melt' } }))
        .attach('files', bytes, 'in.melt')
        .expect(202);
    const first = await finished(ctx.user.auth, (await send(script)).body.id);
    expect(first.status).toBe('COMPLETED');
    const again = await finished(ctx.user.auth, (await send(script)).body.id);
    expect(again.reusedFrom).toBe(first.id);
    expect(existsSync(join(world.env.STORAGE_DIR, jobKeys.upload(again.id, 'in.melt')))).toBe(false);
    expect(existsSync(join(world.env.STORAGE_DIR, jobKeys.upload(first.id, 'in.melt')))).toBe(true);
    const changed = await finished(
      ctx.user.auth,
      (await send(Buffer.from(script.toString().replace('run 50', 'run 60')))).body.id,
    );
    expect(changed.reusedFrom).toBeNull();
  }, 240_000);

  it('a bad reuse value is a 400 naming it', async () => {
    const res = await http()
      .post('/api/v1/jobs')
      .set('Authorization', ctx.user.auth)
      .send(xtbJob({ reuse: 'yes' }))
      .expect(400);
    expect(res.body.message.join()).toContain('reuse');
    const bulk = await http()
      .post('/api/v1/jobs/bulk')
      .set('Authorization', ctx.user.auth)
      .send({ reuse: 1, jobs: [xtbJob()] })
      .expect(400);
    expect(bulk.body.message.join()).toContain('reuse');
  });
});
