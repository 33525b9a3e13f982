import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { QueueName } from '../../queues';
import { QueueProducer } from '../../src/queueing/queue-producer';
import { UsersService } from '../../src/users/users.service';
import { launchChromium } from '../support/browser';
import { eventually } from '../support/eventually';
import { meltJob, xtbJob } from '../support/specs';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// Bull Board at /admin/queues on a real master with real pools: an operator sees it read-only,
// an admin has full control, anyone else is refused; a run whose engine failed is under FAILED.
const world = newWorld();
const ctx = usePlatform(world, [QueueName.Ingestion, QueueName.Md, QueueName.Qc, QueueName.Reports]);
const CLASH = '3\nclash\nO 0 0 0.117\nH 0 0 0.117\nH 0 -0.757 -0.467\n'; // two atoms in one place: xtb fails
const PASSWORD = 'a long enough password';
const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'screenshots');
let base: string;
let operator: string;
let admin: string;
let runningJob: string;
let failedRun: string;

async function login(email: string): Promise<string> {
  const res = await ctx.platform.http().post('/api/v1/auth/login').send({ email, password: PASSWORD }).expect(200);
  return `Bearer ${res.body.accessToken}`;
}

beforeAll(async () => {
  const users = ctx.platform.app.get(UsersService);
  await users.create('operator@example.org', PASSWORD, 'operator');
  await users.create('admin@example.org', PASSWORD, 'admin');
  operator = await login('operator@example.org');
  admin = await login('admin@example.org');
  base = await ctx.platform.listen();
  // a long LJ melt running on the md queue (its progress shows in Bull Board) and a failed reports entry to retry
  runningJob = (
    await ctx.platform
      .http()
      .post('/api/v1/jobs')
      .set('Authorization', ctx.user.auth)
      .send(
        meltJob({
          name: 'long melt',
          md: { template: 'lj-melt', params: { atomsPerSide: 8, steps: 400_000, thermoEvery: 200 } },
        }),
      )
      .expect(202)
  ).body.id;
  await ctx.platform.app
    .get(QueueProducer)
    .queue(QueueName.Reports)
    .add('reports', { bogus: true }, { jobId: 'broken-report', attempts: 1 });
  failedRun = (
    await ctx.platform
      .http()
      .post('/api/v1/jobs')
      .set('Authorization', ctx.user.auth)
      .send(xtbJob({ name: 'clash', qc: { xyz: CLASH, task: 'sp', gfn: 2 } }))
      .expect(202)
  ).body.id;
  const md = ctx.platform.app.get(QueueProducer).queue(QueueName.Md);
  await eventually(async () => Number((await md.getJob(runningJob))?.progress) >= 1, 60_000, 250).catch(async (e) => {
    throw new Error(`${e.message}: ${JSON.stringify(await ctx.platform.job(runningJob, ctx.user.auth))}`);
  });
  await eventually(
    async () =>
      (await ctx.platform.app.get(QueueProducer).queue(QueueName.Reports).getJobState('broken-report')) === 'failed',
    20_000,
    100,
  );
});

afterAll(async () => {
  await ctx.platform.http().post(`/api/v1/jobs/${runningJob}/cancel`).set('Authorization', ctx.user.auth);
});

const api = () => ctx.platform.http();

describe('Bull Board access over HTTP', () => {
  it('no session: 401 for API callers, a browser is sent to the login page', async () => {
    const res = await api().get('/admin/queues/api/queues').set('Accept', 'application/json').expect(401);
    expect(res.body.message).toMatch(/authorization: missing Bearer token/);
    const page = await api().get('/admin/queues').set('Accept', 'text/html').expect(302);
    expect(page.headers.location).toBe('/login?next=%2Fadmin%2Fqueues');
    await api().get('/admin/queues/api/queues').set('Authorization', 'Bearer not.a.token').expect(401);
  });

  it('a plain user: 403', async () => {
    const res = await api().get('/admin/queues/api/queues').set('Authorization', ctx.user.auth).expect(403);
    expect(res.body.message).toMatch(/role: Bull Board is for operators and admins/);
  });

  it('an operator sees the five queues read-only and may not change anything', async () => {
    const res = await api()
      .get('/admin/queues/api/queues?activeQueue=md&status=active')
      .set('Authorization', operator)
      .expect(200);
    const queues = res.body.queues as {
      name: string;
      readOnlyMode: boolean;
      allowRetries: boolean;
      jobs: { id: string; progress: number; data: Record<string, unknown> }[];
    }[];
    expect(queues.map((q) => q.name).sort()).toEqual(['ingestion', 'md', 'qc', 'reports', 'upload']);
    expect(queues.every((q) => q.readOnlyMode && !q.allowRetries)).toBe(true);
    const md = queues.find((q) => q.name === 'md')!;
    const job = md.jobs.find((j) => j.id === runningJob)!;
    expect(job.progress).toBeGreaterThanOrEqual(1); // percent
    expect(job.data).toEqual({ jobId: runningJob, engine: 'lammps', owner: ctx.user.id, name: 'long melt' });
    for (const [method, path] of [
      ['put', '/admin/queues/api/queues/reports/retry/failed'],
      ['put', '/admin/queues/api/queues/reports/broken-report/retry'],
      ['put', '/admin/queues/api/queues/reports/clean/failed'],
      ['put', '/admin/queues/api/queues/pause'],
      ['delete', '/admin/queues/api/queues/reports/broken-report'],
    ] as const) {
      const refused = await api()[method](path).set('Authorization', operator).expect(403);
      expect(refused.body.message).toMatch(/operators have a read-only view/);
    }
    expect(await ctx.platform.app.get(QueueProducer).queue(QueueName.Reports).getJobState('broken-report')).toBe(
      'failed',
    );
  });

  it("a run whose engine failed: its qc entry is FAILED with the job's reason, tried once; the job failed once, its error kept", async () => {
    const qc = ctx.platform.app.get(QueueProducer).queue(QueueName.Qc);
    await eventually(async () => ['failed', 'completed'].includes(await qc.getJobState(failedRun)), 60_000, 200);
    await new Promise((r) => setTimeout(r, 500)); // time for a wrong retry or a second failure to show
    const job = await ctx.platform.job(failedRun, ctx.user.auth);
    const entry = (await qc.getJob(failedRun))!;
    expect(job.status).toBe('FAILED');
    expect(job.error).toMatch(/xtb/i);
    expect(job.error).not.toMatch(/^run failed:/); // not overwritten by the entry's final failure
    expect(job.events.filter((e: { to: string }) => e.to === 'FAILED')).toHaveLength(1);
    expect({
      state: await qc.getJobState(failedRun),
      failedReason: entry.failedReason,
      attemptsMade: entry.attemptsMade,
      returnvalue: entry.returnvalue,
    }).toEqual({ state: 'failed', failedReason: job.error, attemptsMade: 1, returnvalue: null });
    const board = await api()
      .get('/admin/queues/api/queues?activeQueue=qc&status=failed')
      .set('Authorization', operator)
      .expect(200);
    const listed = board.body.queues
      .find((q: { name: string }) => q.name === 'qc')
      .jobs.find((j: { id: string }) => j.id === failedRun);
    expect(listed).toMatchObject({ failedReason: job.error });
  });

  it('an admin has full control: retrying a failed job goes through', async () => {
    const res = await api().get('/admin/queues/api/queues').set('Authorization', admin).expect(200);
    expect(res.body.queues.every((q: { readOnlyMode: boolean }) => !q.readOnlyMode)).toBe(true);
    const queue = ctx.platform.app.get(QueueProducer).queue(QueueName.Reports);
    const before = (await queue.getJob('broken-report'))!.attemptsStarted;
    await api().put('/admin/queues/api/queues/reports/broken-report/retry').set('Authorization', admin).expect(204);
    await eventually(
      async () =>
        (await queue.getJob('broken-report'))!.attemptsStarted > before &&
        (await queue.getJobState('broken-report')) === 'failed',
      20_000,
      100,
    );
  });

  it('the role is checked as it is now: an operator demoted to user loses the token they hold at once, and a new one gets 403', async () => {
    const users = ctx.platform.app.get(UsersService);
    await users.create('shortlived-op@example.org', PASSWORD, 'operator');
    const token = await login('shortlived-op@example.org');
    await api().get('/admin/queues/api/queues').set('Authorization', token).expect(200);
    await users.setRole('shortlived-op@example.org', 'user');
    const revoked = await api().get('/admin/queues/api/queues').set('Authorization', token).expect(401);
    expect(revoked.body.message).toMatch(/token revoked/);
    await api()
      .get('/admin/queues/api/queues')
      .set('Authorization', await login('shortlived-op@example.org'))
      .expect(403);
  });

  it('the session cookie works only from this site for changes', async () => {
    const login = await api()
      .post('/api/v1/auth/login')
      .send({ email: 'admin@example.org', password: PASSWORD })
      .expect(200);
    const cookie = (login.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('molq_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0];
    await api().get('/admin/queues/api/queues').set('Cookie', session).expect(200);
    const forged = await api()
      .put('/admin/queues/api/queues/pause')
      .set('Cookie', session)
      .set('Origin', 'https://evil.example')
      .expect(403);
    expect(forged.body.message).toMatch(/origin: a cross-site request may not use the session cookie/);
    const logout = await api().post('/api/v1/auth/logout').set('Cookie', session).expect(204);
    expect((logout.headers['set-cookie'] as unknown as string[])[0]).toMatch(/^molq_session=; Max-Age=0/);
  });
});

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${base}/admin/queues`);
  await page.waitForURL(/\/login\?next=/);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/admin/queues`);
}

describe('Bull Board in a real browser (headless Chromium)', () => {
  it('an operator sees the five queues and a running job with its progress, and cannot retry; an admin can', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const { context, close } = await launchChromium();
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await signIn(page, 'operator@example.org');
      await page.goto(`${base}/`); // the web app links operators to Bull Board
      await page.getByRole('link', { name: 'Queues (Bull Board)' }).click();
      await page.waitForURL(`${base}/admin/queues`);
      for (const name of ['ingestion', 'md', 'qc', 'upload', 'reports'])
        await page.getByText(name, { exact: true }).first().waitFor();
      await page.goto(`${base}/admin/queues/queue/md?status=active`);
      await page.getByText(runningJob).first().waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, 'bull-board-operator.png'), fullPage: true });
      expect(await page.getByText(/^[1-9]\d?%$/).count()).toBeGreaterThan(0); // the progress ring, past 0 %
      await page.goto(`${base}/admin/queues/queue/reports?status=failed`);
      await page.getByText('broken-report').first().waitFor();
      expect(await page.getByRole('button', { name: /retry/i }).count()).toBe(0);
      await page.screenshot({ path: join(SCREENSHOTS, 'bull-board-operator-failed.png'), fullPage: true });
      await page.goto(`${base}/admin/queues/queue/qc?status=failed`);
      await page.getByText(failedRun).first().waitFor(); // the engine failure, on the operator's FAILED tab
      await page
        .getByText(/xtb exited with code 1/)
        .first()
        .waitFor(); // with the job's reason
      await page.screenshot({ path: join(SCREENSHOTS, 'bull-board-operator-engine-failure.png'), fullPage: true });
      expect(errors).toEqual([]);
      await context.clearCookies();

      await signIn(page, 'admin@example.org');
      await page.goto(`${base}/admin/queues/queue/reports?status=failed`);
      await page.getByText('broken-report').first().waitFor();
      expect(await page.getByRole('button', { name: /retry/i }).count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(SCREENSHOTS, 'bull-board-admin-failed.png'), fullPage: true });
    } finally {
      await close();
    }
  });
});
