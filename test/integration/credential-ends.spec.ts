import { request as httpRequest } from 'node:http';
import { DataSource } from 'typeorm';
import { UsersService } from '../../src/users/users.service';
import { xtbJob } from '../support/specs';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// When a credential stops authenticating, what it opened stops too (issue 27, 7b and 7d): an open
// event stream closes after sign-out or a disabled account (sign-in token and personal token alike),
// and a password change ends the account's personal tokens as the README says.
const world = newWorld();
const ctx = usePlatform(world, []); // no pools: a submission's insert is the event the stream carries
const http = () => ctx.platform.http();
let base: string;

beforeAll(async () => {
  base = await ctx.platform.listen();
});

type User = Awaited<ReturnType<typeof ctx.platform.newUser>>;

async function personalToken(user: User): Promise<{ id: string; auth: string }> {
  const res = await http()
    .post('/api/v1/auth/tokens')
    .set('Authorization', user.auth)
    .send({ name: 'script', scope: 'submit' })
    .expect(201);
  return { id: res.body.id, auth: `Bearer ${res.body.token}` };
}

/** An open event stream: the job ids it carried so far, and a promise of its end. */
interface Stream {
  jobIds: string[];
  ended: Promise<void>;
  close: () => void;
}

function openStream(auth: string): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}/api/v1/events`,
      { headers: { Accept: 'text/event-stream', Authorization: auth } },
      (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
        const stream: Stream = {
          jobIds: [],
          ended: new Promise<void>((done) => res.on('end', () => done()).on('close', () => done())),
          close: () => req.destroy(),
        };
        res.setEncoding('utf8');
        res.on('data', (text: string) => {
          for (const [, id] of text.matchAll(/"id":"([0-9a-f-]{36})"/g)) stream.jobIds.push(id);
        });
        resolve(stream);
      },
    );
    req.on('error', (err) => (err.message === 'socket hang up' ? undefined : reject(err)));
    req.end();
  });
}

const submit = async (auth: string): Promise<string> =>
  (await http().post('/api/v1/jobs').set('Authorization', auth).send(xtbJob()).expect(202)).body.id;

async function endsWithin(stream: Stream, ms: number, what: string): Promise<void> {
  await Promise.race([
    stream.ended,
    new Promise((_, fail) => setTimeout(() => fail(new Error(`the stream stayed open ${ms} ms after ${what}`)), ms)),
  ]);
}

const until = async (check: () => boolean, ms = 5_000) => {
  for (const start = Date.now(); !check();) {
    if (Date.now() - start > ms) throw new Error('no event arrived');
    await new Promise((r) => setTimeout(r, 50));
  }
};

async function adminAuth(): Promise<string> {
  const admin = await ctx.platform.newUser();
  await ctx.platform.app.get(UsersService).setRole(admin.email, 'admin');
  const login = await http()
    .post('/api/v1/auth/login')
    .send({ email: admin.email, password: 'correct horse battery staple' })
    .expect(200);
  return `Bearer ${login.body.accessToken}`;
}

describe('credentials that stop authenticating', () => {
  it('sign-out closes an open event stream of the signed-out token; a job submitted after it is never delivered', async () => {
    const user = await ctx.platform.newUser();
    const stream = await openStream(user.auth);
    const before = await submit(user.auth);
    await until(() => stream.jobIds.includes(before));
    await http().post('/api/v1/auth/logout').set('Authorization', user.auth).expect(204);
    await endsWithin(stream, 2_000, 'sign-out');
    const login = await http()
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'correct horse battery staple' })
      .expect(200);
    const after = await submit(`Bearer ${login.body.accessToken}`);
    await new Promise((r) => setTimeout(r, 300));
    expect(stream.jobIds).not.toContain(after);
  });

  it("an admin disabling the account closes its streams, the sign-in token's and the personal token's", async () => {
    const user = await ctx.platform.newUser();
    const token = await personalToken(user);
    const signedIn = await openStream(user.auth);
    const scripted = await openStream(token.auth);
    const job = await submit(token.auth);
    await until(() => signedIn.jobIds.includes(job) && scripted.jobIds.includes(job));
    await http()
      .post(`/api/v1/admin/users/${user.id}/status`)
      .set('Authorization', await adminAuth())
      .send({ status: 'disabled' })
      .expect(201);
    await endsWithin(signedIn, 2_000, 'the account was disabled');
    await endsWithin(scripted, 2_000, 'the account was disabled');
  });

  it('a credential ended behind this master (another master, or SQL) closes the stream by the next periodic check', async () => {
    const user = await ctx.platform.newUser();
    const token = await personalToken(user);
    const signedIn = await openStream(user.auth);
    const scripted = await openStream(token.auth);
    await ctx.platform.app
      .get(DataSource)
      .query(`UPDATE users SET status = 'disabled', token_version = token_version + 1 WHERE id = $1`, [user.id]);
    await endsWithin(signedIn, 8_000, 'the account was disabled elsewhere');
    await endsWithin(scripted, 8_000, 'the account was disabled elsewhere');
  });

  it('a password change ends the personal tokens too (and closes their streams); a token made after it works', async () => {
    const user = await ctx.platform.newUser();
    const token = await personalToken(user);
    await http().get('/api/v1/jobs').set('Authorization', token.auth).expect(200);
    const scripted = await openStream(token.auth);
    await http()
      .post('/api/v1/auth/password')
      .set('Authorization', user.auth)
      .send({ currentPassword: 'correct horse battery staple', newPassword: 'a brand new password' })
      .expect(204);
    const refused = await http().get('/api/v1/jobs').set('Authorization', token.auth).expect(401);
    expect(refused.body.message).toMatch(/^authorization: unknown, revoked or expired API token/);
    await endsWithin(scripted, 2_000, 'the password change');

    const login = await http()
      .post('/api/v1/auth/login')
      .send({ email: user.email, password: 'a brand new password' })
      .expect(200);
    const fresh = await personalToken({ ...user, auth: `Bearer ${login.body.accessToken}` });
    await http().get('/api/v1/jobs').set('Authorization', fresh.auth).expect(200);
  });
});
