import { request as httpRequest, type IncomingMessage } from 'node:http';
import { QueueName } from '../../queues';
import { JobChanges } from '../../src/live/job-changes';
import { eventually } from '../support/eventually';
import { xtbJob } from '../support/specs';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// Server-sent events from the master: each user sees their own jobs change as it happens
// (PostgreSQL NOTIFY from a trigger, so changes made by any process arrive).
const world = newWorld();
const ctx = usePlatform(world, [QueueName.Ingestion]);
let base: string;

beforeAll(async () => {
  base = await ctx.platform.listen();
});

interface Stream {
  events: { type: string; data: Record<string, unknown> }[];
  status: number;
  close: () => void;
}

function openStream(headers: Record<string, string>): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}/api/v1/events`,
      { headers: { Accept: 'text/event-stream', ...headers } },
      (res: IncomingMessage) => {
        const stream: Stream = { events: [], status: res.statusCode ?? 0, close: () => req.destroy() };
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const type = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (data) stream.events.push({ type, data: JSON.parse(data) });
          }
        });
        res.on('error', () => undefined);
        resolve(stream);
      },
    );
    req.on('error', (err) => (err.message === 'socket hang up' ? undefined : reject(err)));
    req.end();
  });
}

/** Event streams subscribed to the master's job changes right now. */
const streamsOpen = () =>
  (ctx.platform.app.get(JobChanges) as unknown as { subject: { observers: unknown[] } }).subject.observers.length;

describe('live job events (server-sent events)', () => {
  it("a user's stream carries their job's changes as they happen, and nobody else's", async () => {
    const other = await ctx.platform.newUser();
    const mine = await openStream({ Authorization: ctx.user.auth });
    const theirs = await openStream({ Authorization: other.auth });
    try {
      expect(mine.status).toBe(200);
      await eventually(() => streamsOpen() >= 2, 5_000, 20); // both streams subscribed to the job changes
      const id = (
        await ctx.platform.http().post('/api/v1/jobs').set('Authorization', ctx.user.auth).send(xtbJob()).expect(202)
      ).body.id;
      await eventually(() => mine.events.some((e) => e.data.id === id && e.data.status === 'QUEUED'), 10_000);
      const statuses = mine.events.filter((e) => e.type === 'job' && e.data.id === id).map((e) => e.data.status);
      expect(statuses.slice(0, 2)).toEqual(['PENDING', 'QUEUED']);
      expect(mine.events[0].data).not.toHaveProperty('owner');
      expect(theirs.events.filter((e) => e.type === 'job')).toEqual([]);
    } finally {
      mine.close();
      theirs.close();
    }
  });

  it('the browser session cookie opens a stream; no session is 401', async () => {
    const login = await ctx.platform
      .http()
      .post('/api/v1/auth/login')
      .send({ email: ctx.user.email, password: 'correct horse battery staple' })
      .expect(200);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const viaCookie = await openStream({ Cookie: cookie });
    viaCookie.close();
    expect(viaCookie.status).toBe(200);
    const none = await openStream({});
    none.close();
    expect(none.status).toBe(401);
  });
});

describe('the API the web UI reads', () => {
  it('GET /auth/me says who the session is; list filters by name and date; a bad date names the field', async () => {
    const me = await ctx.platform.http().get('/api/v1/auth/me').set('Authorization', ctx.user.auth).expect(200);
    expect(me.body).toEqual({ id: ctx.user.id, email: ctx.user.email, role: 'user', permissions: ['scripts'] });
    await ctx.platform
      .http()
      .post('/api/v1/jobs')
      .set('Authorization', ctx.user.auth)
      .send(xtbJob({ name: 'Benzene 100% scan' }))
      .expect(202);
    const found = await ctx.platform
      .http()
      .get('/api/v1/jobs')
      .query({ q: 'benzene 100%' })
      .set('Authorization', ctx.user.auth)
      .expect(200);
    expect(found.body.items.map((j: { name: string }) => j.name)).toEqual(['Benzene 100% scan']);
    const wildcard = await ctx.platform
      .http()
      .get('/api/v1/jobs')
      .query({ q: '%' })
      .set('Authorization', ctx.user.auth)
      .expect(200);
    expect(wildcard.body.items.map((j: { name: string }) => j.name)).toEqual(['Benzene 100% scan']); // % is a character, not a wildcard
    const future = await ctx.platform
      .http()
      .get('/api/v1/jobs')
      .query({ createdFrom: new Date(Date.now() + 3_600_000).toISOString() })
      .set('Authorization', ctx.user.auth)
      .expect(200);
    expect(future.body.total).toBe(0);
    const bad = await ctx.platform
      .http()
      .get('/api/v1/jobs')
      .query({ createdFrom: 'yesterday' })
      .set('Authorization', ctx.user.auth)
      .expect(400);
    expect(JSON.stringify(bad.body.message)).toContain('createdFrom: must be an ISO 8601 date');
  });
});
