import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { JwtService } from '@nestjs/jwt';
import { QueueName } from '../../queues';
import { redactSignature } from '../../src/logging/logging.module';
import { UsersService } from '../../src/users/users.service';
import { eventually } from '../support/eventually';
import { alkaneChain, WATER, xtbJob } from '../support/specs';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// Request hardening of issue 14, through the real master: deep JSON, the login burst, a spoofed
// X-Forwarded-For, forged tokens and URLs made with an old secret, quotas, headers, /metrics.

const METRICS_TOKEN = randomBytes(24).toString('hex');
const world = newWorld({
  LOGIN_MAX_PER_ACCOUNT: '10',
  LOGIN_MAX_PER_ADDRESS: '60',
  TRUSTED_PROXIES: '10.99.99.99', // a proxy that is not the test client: its X-Forwarded-For counts for nothing
  QUOTA_QUEUED_JOBS: '5',
  QUOTA_CORE_HOURS_PER_DAY: '50',
  QUOTA_BATCHES_PER_HOUR: '2',
  QUOTA_EVENT_STREAMS: '2',
  QUOTA_RUNNING_JOBS: '1',
  METRICS_TOKEN,
});
const ctx = usePlatform(world, []); // no pools: submitted jobs stay PENDING (they count as waiting)
const http = () => ctx.platform.http();
const PASSWORD = 'correct horse battery staple';

describe('request hardening', () => {
  it('JSON nested 100,000 deep gets 400 naming the limit, on login and on bulk submission', async () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    for (const path of ['/api/v1/auth/login', '/api/v1/jobs/bulk']) {
      const res = await http()
        .post(path)
        .set('Authorization', ctx.user.auth)
        .set('Content-Type', 'application/json')
        .send(deep);
      expect({ status: res.status, message: res.body.message }).toEqual({
        status: 400,
        message: ['body: nested deeper than 32 levels'],
      });
    }
    const nested = JSON.stringify({ email: 'a@b.org', password: { a: { b: { c: { d: 'x' } } } } });
    expect((await http().post('/api/v1/auth/login').set('Content-Type', 'application/json').send(nested)).status).toBe(
      400,
    ); // shallow junk: a field error
  });

  it('25 parallel wrong passwords against one account: only 10 reach the password check, 15 get 429', async () => {
    const email = 'burst@example.org';
    await http().post('/api/v1/auth/register').send({ email, password: PASSWORD }).expect(201);
    const answers = await Promise.all(
      Array.from({ length: 25 }, () => http().post('/api/v1/auth/login').send({ email, password: 'wrong password!!' })),
    );
    const counts = answers.reduce<Record<number, number>>((c, r) => ({ ...c, [r.status]: (c[r.status] ?? 0) + 1 }), {});
    expect(counts).toEqual({ 401: 10, 429: 15 });
    expect(answers.find((r) => r.status === 429)!.body.message).toMatch(/too many failed logins for this account/);
  });

  it('a token forged with an old or made-up secret, and one without a token version, get 401', async () => {
    const admin = await ctx.platform.newUser();
    await ctx.platform.app.get(UsersService).setRole(admin.email, 'admin');
    const forged = new JwtService({ secret: randomBytes(32).toString('hex') }).sign({
      sub: admin.id,
      role: 'admin',
      tv: 1,
    });
    expect((await http().get('/api/v1/jobs').set('Authorization', `Bearer ${forged}`)).status).toBe(401);
    expect((await http().get('/admin/queues/api/queues').set('Authorization', `Bearer ${forged}`)).status).toBe(401);
    const versionless = new JwtService({ secret: world.env.JWT_SECRET }).sign({ sub: admin.id, role: 'admin' });
    expect((await http().get('/api/v1/jobs').set('Authorization', `Bearer ${versionless}`)).body.message).toBe(
      'authorization: invalid token',
    );
  });

  it('a signed file URL forged with the key the JWT secret used to give is refused (403)', async () => {
    const key = `jobs/${randomBytes(4).toString('hex')}/results/out.txt`;
    const expires = Math.floor(Date.now() / 1000) + 600;
    const oldKey = Buffer.from(hkdfSync('sha256', world.env.JWT_SECRET, 'molq', 'signed file urls', 32));
    const signature = createHmac('sha256', oldKey).update(`GET\n${key}\n${expires}`).digest('hex');
    const res = await http().get(
      `/api/v1/files/${Buffer.from(key).toString('base64url')}?method=GET&expires=${expires}&signature=${signature}`,
    );
    expect({ status: res.status, message: res.body.message }).toEqual({
      status: 403,
      message: 'signature: expired or invalid URL',
    });
  });

  it('quotas: jobs waiting, core-hours per day and batches per hour each get 429 naming their limit', async () => {
    const user = await ctx.platform.newUser();
    for (let i = 0; i < 5; i++)
      await http().post('/api/v1/jobs').set('Authorization', user.auth).send(xtbJob()).expect(202);
    const sixth = await http().post('/api/v1/jobs').set('Authorization', user.auth).send(xtbJob()).expect(429);
    expect(sixth.body.message).toMatch(/^quota: 5 of your jobs wait to run .* limit of 5 \(QUOTA_QUEUED_JOBS\)/);

    const other = await ctx.platform.newUser();
    const big = await http()
      .post('/api/v1/jobs')
      .set('Authorization', other.auth)
      .send(xtbJob({ resources: { tasks: 8, walltimeMinutes: 600, memoryMb: 1000 } }))
      .expect(429);
    expect(big.body.message).toMatch(
      /^quota: 0 core-hours asked for today and 80 more would pass the limit of 50 \(QUOTA_CORE_HOURS_PER_DAY/,
    );
    const bulk = () =>
      http()
        .post('/api/v1/jobs/bulk')
        .set('Authorization', other.auth)
        .send({ jobs: [{ type: 'qc', engine: 'xtb', qc: { xyz: WATER, task: 'sp' } }] });
    expect((await bulk()).status).toBe(202);
    expect((await bulk()).status).toBe(202);
    const third = await bulk();
    expect({ status: third.status, message: third.body.message }).toEqual({
      status: 429,
      message: expect.stringMatching(/^quota: 2 bulk batches this hour: the limit is 2 \(QUOTA_BATCHES_PER_HOUR\)/),
    });
  });

  it('quotas: a third event stream gets 429; closing one frees its slot', async () => {
    await ctx.platform.app.listen(0, '127.0.0.1').catch(() => undefined);
    const port = (ctx.platform.app.getHttpServer().address() as { port: number }).port;
    const open = () =>
      new Promise<IncomingMessage>((resolve, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path: '/api/v1/events',
            headers: { Authorization: ctx.user.auth, Accept: 'text/event-stream' },
          },
          resolve,
        );
        req.on('error', reject);
        req.end();
      });
    const first = await open();
    const second = await open();
    expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
    const third = await open();
    expect(third.statusCode).toBe(429);
    first.destroy();
    await new Promise((r) => setTimeout(r, 300));
    const again = await open();
    expect(again.statusCode).toBe(200);
    for (const s of [second, third, again]) s.destroy();
  });

  it('an event stream closes when its token expires', async () => {
    const port = (ctx.platform.app.getHttpServer().address() as { port: number }).port;
    const short = new JwtService({ secret: world.env.JWT_SECRET }).sign(
      { sub: ctx.user.id, role: 'user', tv: 0 },
      { expiresIn: 2 },
    );
    const started = Date.now();
    const ended = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/api/v1/events', headers: { Authorization: `Bearer ${short}` } },
        (res) => {
          expect(res.statusCode).toBe(200);
          res.on('data', () => undefined);
          res.on('end', () => resolve(Date.now() - started));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(ended).toBeGreaterThan(800);
    expect(ended).toBeLessThan(6_000);
  });

  it('quotas: with QUOTA_RUNNING_JOBS=1 a user never has two jobs running at once; the second waits, then runs', async () => {
    await ctx.platform.startPool([QueueName.Ingestion, QueueName.Qc]); // qc runs 2 at a time: only the quota holds the second back
    try {
      const user = await ctx.platform.newUser();
      const submit = async () =>
        (
          await http()
            .post('/api/v1/jobs')
            .set('Authorization', user.auth)
            .send(xtbJob({ qc: { xyz: alkaneChain(16), task: 'opt', gfn: 2 } }))
            .expect(202)
        ).body.id as string;
      const ids = [await submit(), await submit()];
      let most = 0;
      await eventually(
        async () => {
          const statuses = await Promise.all(
            ids.map(async (id) => (await ctx.platform.job(id, user.auth)).status as string),
          );
          most = Math.max(most, statuses.filter((s) => s === 'DISPATCHED' || s === 'RUNNING').length);
          return statuses.every((s) => ['UPLOADING', 'FAILED'].includes(s));
        },
        90_000,
        50,
      );
      expect(most).toBe(1);
      for (const id of ids) expect((await ctx.platform.job(id, user.auth)).status).toBe('UPLOADING');
    } finally {
      await ctx.platform.stopPool();
    }
  }, 120_000);

  it('answers carry no x-powered-by and helmet-style headers; /metrics and /docs need the metrics token', async () => {
    const res = await http().get('/api/v1/jobs').set('Authorization', ctx.user.auth).expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect((await http().get('/metrics')).status).toBe(401);
    expect((await http().get('/docs-json')).status).toBe(401);
    expect((await http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}`)).status).toBe(200);
    expect((await http().get('/metrics').set('Authorization', `Bearer ${METRICS_TOKEN}x`)).status).toBe(401);
  });

  it('logged URLs have their signature hidden', () => {
    expect(redactSignature('/api/v1/files/abc?method=GET&expires=1&signature=deadbeef')).toBe(
      '/api/v1/files/abc?method=GET&expires=1&signature=[redacted]',
    );
  });

  // last: it uses up this address's login attempts
  it('X-Forwarded-For from a client that is not a trusted proxy is ignored: rotating it does not escape the per-address limit', async () => {
    let refused: { status: number; message: string } | undefined;
    for (let i = 0; i < 80 && !refused; i++) {
      const res = await http()
        .post('/api/v1/auth/login')
        .set('X-Forwarded-For', `203.0.113.${i}`)
        .send({ email: `nobody-${i}@example.org`, password: 'wrong password!!' });
      if (res.status === 429) refused = { status: res.status, message: res.body.message };
    }
    expect(refused).toEqual({ status: 429, message: expect.stringMatching(/too many failed logins for this address/) });
  });
});
