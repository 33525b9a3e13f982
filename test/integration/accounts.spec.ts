import { QueueName } from '../../queues';
import { UsersService } from '../../src/users/users.service';
import { newWorld } from '../support/test-config';
import { TestPlatform, usePlatform } from '../support/test-master';
import { setUpWorld, tearDownWorld } from '../support/test-config';

// Accounts of issue 14: registration open / approval / closed, approval and disabling by an admin
// (API; the CLI in operator-cli.spec, the web UI in web-ui.spec), and tokens revoked at once by
// sign-out, a password change, a role change or a disabled account.

const world = newWorld({ REGISTRATION: 'approval' });
const ctx = usePlatform(world, [QueueName.Ingestion]);
const http = () => ctx.platform.http();
const PASSWORD = 'correct horse battery staple';
const login = (email: string, password = PASSWORD) => http().post('/api/v1/auth/login').send({ email, password });

async function admin(): Promise<string> {
  const email = `admin-${Math.random().toString(36).slice(2)}@example.org`;
  await ctx.platform.app.get(UsersService).create(email, PASSWORD, 'admin');
  return `Bearer ${(await login(email).expect(200)).body.accessToken}`;
}

describe('accounts and tokens', () => {
  it('REGISTRATION=approval: a new account waits (403 at login) until an admin approves it through the API', async () => {
    const reg = await http()
      .post('/api/v1/auth/register')
      .send({ email: 'newcomer@example.org', password: PASSWORD })
      .expect(201);
    expect(reg.body).toMatchObject({ email: 'newcomer@example.org', role: 'user', status: 'pending' });
    expect((await login('newcomer@example.org').expect(403)).body.message).toBe(
      "account: waiting for an admin's approval",
    );

    const auth = await admin();
    const list = (await http().get('/api/v1/admin/users').set('Authorization', auth).expect(200)).body;
    expect(list.find((u: { email: string }) => u.email === 'newcomer@example.org')).toMatchObject({
      status: 'pending',
      permissions: [],
    });
    await http()
      .post(`/api/v1/admin/users/${reg.body.id}/status`)
      .set('Authorization', auth)
      .send({ status: 'active' })
      .expect(201);
    await login('newcomer@example.org').expect(200);

    const granted = await http()
      .post(`/api/v1/admin/users/${reg.body.id}/permissions`)
      .set('Authorization', auth)
      .send({ permission: 'scripts', granted: true })
      .expect(201);
    expect(granted.body.permissions).toEqual(['scripts']);
    const bad = await http()
      .post(`/api/v1/admin/users/${reg.body.id}/permissions`)
      .set('Authorization', auth)
      .send({ permission: 'root', granted: true })
      .expect(400);
    expect(bad.body.message).toEqual(['permission must be one of scripts']);
  });

  it('only admins manage accounts (403 for a user)', async () => {
    await http().get('/api/v1/admin/users').set('Authorization', ctx.user.auth).expect(403);
    await http()
      .post(`/api/v1/admin/users/${ctx.user.id}/permissions`)
      .set('Authorization', ctx.user.auth)
      .send({ permission: 'scripts', granted: true })
      .expect(403);
  });

  it('sign-out, a password change and a disabled account each end the tokens already handed out, at once', async () => {
    const users = ctx.platform.app.get(UsersService);
    const email = 'leaver@example.org';
    const user = await users.create(email, PASSWORD, 'user');
    const jobs = (token: string) => http().get('/api/v1/jobs').set('Authorization', `Bearer ${token}`);

    const first = (await login(email).expect(200)).body.accessToken;
    const second = (await login(email).expect(200)).body.accessToken;
    await http().post('/api/v1/auth/logout').set('Authorization', `Bearer ${first}`).expect(204);
    expect((await jobs(first).expect(401)).body.message).toMatch(/token revoked/);
    expect((await jobs(second).expect(401)).body.message).toMatch(/token revoked/); // signed out everywhere

    const third = (await login(email).expect(200)).body.accessToken;
    await http()
      .post('/api/v1/auth/password')
      .set('Authorization', `Bearer ${third}`)
      .send({ currentPassword: 'wrong one!!', newPassword: 'a brand new password' })
      .expect(401);
    await http()
      .post('/api/v1/auth/password')
      .set('Authorization', `Bearer ${third}`)
      .send({ currentPassword: PASSWORD, newPassword: 'a brand new password' })
      .expect(204);
    await jobs(third).expect(401);
    await login(email).expect(401);
    const fourth = (await login(email, 'a brand new password').expect(200)).body.accessToken;

    await users.setStatus(email, 'disabled');
    await jobs(fourth).expect(401);
    expect((await login(email, 'a brand new password').expect(403)).body.message).toBe('account: disabled');
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('REGISTRATION=closed refuses sign-up with 403; open gives a working account at once', async () => {
    for (const [mode, status] of [
      ['closed', 403],
      ['open', 201],
    ] as const) {
      const other = new TestPlatform(newWorld({ REGISTRATION: mode }));
      await setUpWorld(other.world);
      await other.start([]);
      try {
        const res = await other
          .http()
          .post('/api/v1/auth/register')
          .send({ email: 'x@example.org', password: PASSWORD });
        expect(res.status).toBe(status);
        if (mode === 'closed')
          expect(res.body.message).toBe('registration: closed on this server; ask an admin for an account');
        else
          await other
            .http()
            .post('/api/v1/auth/login')
            .send({ email: 'x@example.org', password: PASSWORD })
            .expect(200);
      } finally {
        await other.stop();
        await tearDownWorld(other.world);
      }
    }
  });
});
