import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createMaster } from '../../src/bootstrap/create-master';
import { RateLimiter } from '../../src/limiter/rate-limiter';
import { eventually } from '../support/eventually';
import { OwnRedis, freePort } from '../support/own-redis';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_DATABASE_URL, newWorld, setUpWorld, tearDownWorld } from '../support/test-config';

let redis: OwnRedis;
let world: ReturnType<typeof newWorld>;
let app: INestApplication;
/** The master reaches PostgreSQL through this proxy, which a test cuts as if the database went away. */
let database: TcpProxy;

beforeAll(async () => {
  redis = new OwnRedis(await freePort());
  await redis.start();
  const real = new URL(TEST_DATABASE_URL);
  database = new TcpProxy(real.hostname, Number(real.port || 5432));
  const viaProxy = new URL(TEST_DATABASE_URL);
  viaProxy.port = String(await database.start());
  world = newWorld({ REDIS_URL: redis.url, DATABASE_URL: viaProxy.toString() });
  await setUpWorld(world);
  app = await createMaster(world.master);
  await app.init();
});

afterAll(async () => {
  await database?.restore().catch(() => undefined);
  await app?.close();
  await redis?.stop();
  await tearDownWorld(world);
});

const health = () => request(app.getHttpServer()).get('/health');

describe('/health', () => {
  it('answers 200 with PostgreSQL and Redis up', async () => {
    const res = await health().expect(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });
  });

  it('answers 503 naming Redis while Redis is stopped, and 200 again once it is back', async () => {
    await redis.stop();
    let body: Record<string, unknown> = {};
    await eventually(async () => {
      const res = await health();
      body = res.body;
      return res.status === 503;
    });
    expect(body).toMatchObject({
      status: 'error',
      error: { redis: { status: 'down' } },
      info: { database: { status: 'up' } },
    });

    await redis.start();
    await eventually(async () => (await health()).status === 200, 15_000);
  });
});

describe('PostgreSQL away', () => {
  it('the API answers 503 with Retry-After (never 500) while the database is cut, and works again once it is back', async () => {
    const api = () => request(app.getHttpServer());
    await api()
      .post('/api/v1/auth/register')
      .send({ email: 'outage@example.org', password: 'a long enough password' })
      .expect(201);
    const token = (
      await api()
        .post('/api/v1/auth/login')
        .send({ email: 'outage@example.org', password: 'a long enough password' })
        .expect(200)
    ).body.accessToken;
    await database.cut();
    const answers = [
      await api().get('/api/v1/jobs').set('Authorization', `Bearer ${token}`),
      await api().post('/api/v1/auth/login').send({ email: 'outage@example.org', password: 'a long enough password' }),
      await api()
        .post('/api/v1/jobs')
        .set('Authorization', `Bearer ${token}`)
        .send({ type: 'qc', engine: 'xtb', qc: { xyz: '1\nH\nH 0 0 0\n', multiplicity: 2 } }),
    ];
    expect(answers.map((r) => ({ status: r.status, retryAfter: r.headers['retry-after'] }))).toEqual(
      answers.map(() => ({ status: 503, retryAfter: '5' })),
    );
    expect(answers[0].body.message).toMatch(/^service: the database or the queue is unreachable/);
    expect((await health()).status).toBe(503);
    await database.restore();
    await eventually(
      async () => (await api().get('/api/v1/jobs').set('Authorization', `Bearer ${token}`)).status === 200,
      20_000,
      250,
    );
  }, 60_000);
});

describe('master HTTP surface', () => {
  it('serves Prometheus metrics with queue and job series', async () => {
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toContain('molq_queue_jobs{queue="ingestion",state="waiting"} 0');
    expect(res.text).toContain('# TYPE molq_jobs gauge');
    expect(res.text).toContain('# TYPE molq_queue_job_duration_seconds histogram');
  });

  it('counts the shared limiter decisions of every process', async () => {
    const limiter = app.get(RateLimiter);
    for (let i = 0; i < 3; i++) await limiter.acquire('external');
    const text = (await request(app.getHttpServer()).get('/metrics').expect(200)).text;
    expect(text).toContain('molq_limiter_requests_total{key="external",outcome="granted"} 3');
    await limiter.acquire('external');
    const again = (await request(app.getHttpServer()).get('/metrics').expect(200)).text;
    expect(again).toContain('molq_limiter_requests_total{key="external",outcome="granted"} 4');
  });

  it('serves the OpenAPI document at /docs', async () => {
    const res = await request(app.getHttpServer()).get('/docs-json').expect(200);
    expect(res.body.info.title).toBe('molq');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/health', '/metrics']));
    await request(app.getHttpServer()).get('/docs').expect(200);
  });

  it('gives each request an id, keeping a sane one the caller sent', async () => {
    const mine = await health().set('X-Request-Id', 'req-12345678');
    expect(mine.headers['x-request-id']).toBe('req-12345678');
    const forged = await health().set('X-Request-Id', 'bad id\twith spaces');
    expect(forged.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers an unknown route with 404, not 500', async () => {
    await request(app.getHttpServer()).get('/api/v1/nothing-here').expect(404);
  });
});
