import { request as httpRequest } from 'node:http';
import { DataSource } from 'typeorm';
import { QueueName } from '../../queues';
import { UsersService } from '../../src/users/users.service';
import { eventually } from '../support/eventually';
import { xtbJob } from '../support/specs';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// Personal API tokens through the real API: made and revoked by a signed-in user, used by scripts.
const world = newWorld();
const ctx = usePlatform(world, [QueueName.Ingestion]);
const http = () => ctx.platform.http();
let base: string;

beforeAll(async () => {
  base = await ctx.platform.listen();
});

type User = Awaited<ReturnType<typeof ctx.platform.newUser>>;
async function token(
  user: User,
  scope: 'read' | 'submit',
  extra: object = {},
): Promise<{ id: string; auth: string; token: string }> {
  const res = await http()
    .post('/api/v1/auth/tokens')
    .set('Authorization', user.auth)
    .send({ name: `script ${scope}`, scope, ...extra })
    .expect(201);
  return { id: res.body.id, token: res.body.token, auth: `Bearer ${res.body.token}` };
}

/** Opens the event stream with these headers; resolves with its status and a promise of its end. */
function stream(auth: string): Promise<{ status: number; ended: Promise<void>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}/api/v1/events`,
      { headers: { Accept: 'text/event-stream', Authorization: auth } },
      (res) => {
        const ended = new Promise<void>((done) => res.on('end', () => done()).on('close', () => done()));
        res.resume();
        resolve({ status: res.statusCode ?? 0, ended, close: () => req.destroy() });
      },
    );
    req.on('error', (err) => (err.message === 'socket hang up' ? undefined : reject(err)));
    req.end();
  });
}

describe('personal API tokens', () => {
  it('a user makes a token, sees its secret once, lists it without the secret; a read token reads and cannot submit', async () => {
    const user = await ctx.platform.newUser();
    const made = await http()
      .post('/api/v1/auth/tokens')
      .set('Authorization', user.auth)
      .send({ name: 'jupyter', scope: 'read', expiresInDays: 30 })
      .expect(201);
    expect(made.body).toMatchObject({
      name: 'jupyter',
      scope: 'read',
      lastUsedAt: null,
      token: expect.stringMatching(/^mqu_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/),
    });
    expect(new Date(made.body.expiresAt).getTime() - Date.now()).toBeGreaterThan(29.9 * 86_400_000);
    const listed = await http().get('/api/v1/auth/tokens').set('Authorization', user.auth).expect(200);
    expect(listed.body).toEqual([
      expect.objectContaining({ id: made.body.id, name: 'jupyter', prefix: made.body.token.slice(4, 16) }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(made.body.token.slice(17));
    const row = await ctx.platform.app
      .get(DataSource)
      .query('SELECT token_hash FROM personal_tokens WHERE id = $1', [made.body.id]);
    expect(row[0].token_hash).not.toContain(made.body.token.slice(17)); // only a hash is kept

    const read = `Bearer ${made.body.token}`;
    const mine = await http()
      .post('/api/v1/jobs')
      .set('Authorization', user.auth)
      .send(xtbJob({ name: 'by session' }))
      .expect(202);
    expect(
      (await http().get('/api/v1/jobs').set('Authorization', read).expect(200)).body.items.map(
        (j: { id: string }) => j.id,
      ),
    ).toEqual([mine.body.id]);
    await http().get(`/api/v1/jobs/${mine.body.id}`).set('Authorization', read).expect(200);
    expect((await http().get('/api/v1/auth/me').set('Authorization', read).expect(200)).body.id).toBe(user.id);
    const refused = await http().post('/api/v1/jobs').set('Authorization', read).send(xtbJob()).expect(403);
    expect(refused.body.message).toMatch(/^authorization: this API token's scope is read; this needs a submit token/);
    await http().post(`/api/v1/jobs/${mine.body.id}/cancel`).set('Authorization', read).expect(403);
    const used = await http().get('/api/v1/auth/tokens').set('Authorization', user.auth).expect(200);
    expect(used.body[0].lastUsedAt).not.toBeNull();
  });

  it('a submit token submits, in bulk too, and cancels; no token manages tokens or reaches admin, Bull Board or the worker API', async () => {
    const user = await ctx.platform.newUser();
    const submit = await token(user, 'submit');
    const one = await http()
      .post('/api/v1/jobs')
      .set('Authorization', submit.auth)
      .send(xtbJob({ name: 'by token' }))
      .expect(202);
    await http()
      .post('/api/v1/jobs/bulk')
      .set('Authorization', submit.auth)
      .send({ jobs: [xtbJob(), xtbJob()] })
      .expect(202);
    await http().post(`/api/v1/jobs/${one.body.id}/cancel`).set('Authorization', submit.auth).expect(200);
    const noMore = await http()
      .post('/api/v1/auth/tokens')
      .set('Authorization', submit.auth)
      .send({ name: 'child', scope: 'submit' })
      .expect(403);
    expect(noMore.body.message).toMatch(/^authorization: API tokens cannot do this; sign in/);
    await http().get('/api/v1/auth/tokens').set('Authorization', submit.auth).expect(403);
    await http().delete(`/api/v1/auth/tokens/${submit.id}`).set('Authorization', submit.auth).expect(403);
    await http()
      .post('/api/v1/auth/password')
      .set('Authorization', submit.auth)
      .send({ currentPassword: 'x'.repeat(10), newPassword: 'y'.repeat(12) })
      .expect(403);
    // an admin's token is no admin
    await ctx.platform.app.get(UsersService).setRole(user.email, 'admin');
    const admin = await ctx.platform.newUser();
    await ctx.platform.app.get(UsersService).setRole(admin.email, 'admin');
    const adminLogin = await http()
      .post('/api/v1/auth/login')
      .send({ email: admin.email, password: 'correct horse battery staple' })
      .expect(200);
    const adminToken = await token({ ...admin, auth: `Bearer ${adminLogin.body.accessToken}` }, 'submit');
    await http().get('/api/v1/admin/users').set('Authorization', adminToken.auth).expect(403);
    await http()
      .get('/admin/queues/api/queues')
      .set('Accept', 'application/json')
      .set('Authorization', adminToken.auth)
      .expect(401);
    await http()
      .post('/api/v1/workers/jobs/claim')
      .set('Authorization', adminToken.auth)
      .send({ queues: ['qc'] })
      .expect(401);
  });

  it('revoked or expired: refused at once, and an open event stream ends', async () => {
    const user = await ctx.platform.newUser();
    const read = await token(user, 'read');
    const events = await stream(read.auth);
    expect(events.status).toBe(200);
    await http().delete(`/api/v1/auth/tokens/${read.id}`).set('Authorization', user.auth).expect(204);
    const gone = await http().get('/api/v1/jobs').set('Authorization', read.auth).expect(401);
    expect(gone.body.message).toMatch(/^authorization: unknown, revoked or expired API token/);
    await Promise.race([
      events.ended,
      new Promise((_, fail) => setTimeout(() => fail(new Error('the stream stayed open after the revocation')), 5_000)),
    ]);
    expect((await http().get('/api/v1/auth/tokens').set('Authorization', user.auth).expect(200)).body).toEqual([]);
    await http().delete(`/api/v1/auth/tokens/${read.id}`).set('Authorization', user.auth).expect(404);

    const short = await token(user, 'read', { expiresInDays: 1 });
    await http().get('/api/v1/jobs').set('Authorization', short.auth).expect(200);
    await ctx.platform.app
      .get(DataSource)
      .query(`UPDATE personal_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [short.id]);
    await http().get('/api/v1/jobs').set('Authorization', short.auth).expect(401);
    // a forged secret with a real prefix, and a disabled account
    await http()
      .get('/api/v1/jobs')
      .set('Authorization', `Bearer ${short.token.slice(0, 17)}${'A'.repeat(43)}`)
      .expect(401);
    const other = await token(user, 'read');
    await ctx.platform.app.get(UsersService).setStatus(user.email, 'disabled');
    await http().get('/api/v1/jobs').set('Authorization', other.auth).expect(403);
  });

  it("tokens are their owner's: another user cannot list or revoke them, and a token shows only its owner's jobs", async () => {
    const alice = await ctx.platform.newUser();
    const bob = await ctx.platform.newUser();
    const alices = await token(alice, 'read');
    await http().delete(`/api/v1/auth/tokens/${alices.id}`).set('Authorization', bob.auth).expect(404);
    expect((await http().get('/api/v1/auth/tokens').set('Authorization', bob.auth).expect(200)).body).toEqual([]);
    const bobsJob = await http().post('/api/v1/jobs').set('Authorization', bob.auth).send(xtbJob()).expect(202);
    await http().get(`/api/v1/jobs/${bobsJob.body.id}`).set('Authorization', alices.auth).expect(404);
    await eventually(async () => (await http().get('/api/v1/jobs').set('Authorization', alices.auth)).body.total === 0);
  });

  it.each([
    [{ name: 'x', scope: 'admin' }, /scope: must be read or submit/],
    [{ name: 'line\nbreak', scope: 'read' }, /^name: 1-64 letters/],
    [{ name: 'n'.repeat(65), scope: 'read' }, /^name: 1-64/],
    [{ name: 'ok', scope: 'read', expiresInDays: 0 }, /expiresInDays: at least 1/],
    [{ name: 'ok', scope: 'read', expiresInDays: 1.5 }, /expiresInDays: must be a whole number/],
    [{ name: 'ok', scope: 'read', owner: 'someone' }, /property owner should not exist/],
  ])('refuses %j with a 400 naming the field', async (body, message) => {
    const res = await http().post('/api/v1/auth/tokens').set('Authorization', ctx.user.auth).send(body).expect(400);
    expect(res.body.message.join(' | ')).toMatch(message);
  });
});
