import { spawnBuilt } from '../support/processes';
import { withoutMasterSecrets } from '../../src/config/master-secrets';
import { newWorld } from '../support/test-config';

const world = newWorld();

describe('processes refuse a bad environment at start-up', () => {
  it('a master without DATABASE_URL stops with a message naming it', async () => {
    const { DATABASE_URL: _, ...env } = world.env;
    const master = spawnBuilt('src/main.js', [], env);
    const { code } = await master.exited;
    expect(code).toBe(78);
    expect(master.output()).toMatch(/Invalid environment variables:\n\s+- DATABASE_URL: must be a postgres:\/\/ URL/);
  });

  it('a master with a short JWT_SECRET names it', async () => {
    const master = spawnBuilt('src/main.js', [], { ...world.env, JWT_SECRET: 'short' });
    expect((await master.exited).code).toBe(78);
    expect(master.output()).toContain('JWT_SECRET: must be at least 32 characters');
  });

  it.each([
    ['the placeholder of .env.master.secrets', 'change-me-openssl-rand-hex-32', /URL_SIGNING_SECRET: is a placeholder/],
    ['a long but repetitive value', 'ab'.repeat(24), /URL_SIGNING_SECRET: is not random enough/],
    ['nothing', '', /URL_SIGNING_SECRET: is required/],
  ])('a master whose URL_SIGNING_SECRET is %s refuses to start, without printing it', async (_, value, message) => {
    const master = spawnBuilt('src/main.js', [], { ...world.env, URL_SIGNING_SECRET: value });
    expect((await master.exited).code).toBe(78);
    expect(master.output()).toMatch(message);
    if (value) expect(master.output()).not.toContain(value);
  });

  it("a worker pool given the master's secrets refuses to start (a pool runs users' engines)", async () => {
    const worker = spawnBuilt('workers/main.js', ['--queues', 'ingestion'], world.env);
    expect((await worker.exited).code).toBe(78);
    expect(worker.output()).toContain(
      "JWT_SECRET, URL_SIGNING_SECRET: the master's secret(s) must not be given to a worker pool",
    );
  });

  it('a worker asked for an unknown queue names it', async () => {
    const worker = spawnBuilt('workers/main.js', ['--queues', 'ingestion,nope'], withoutMasterSecrets(world.env));
    expect((await worker.exited).code).toBe(64);
    expect(worker.output()).toContain('--queues: unknown queue(s) nope');
  });

  it.each([
    [
      'bwrap is not installed',
      { SANDBOX_BWRAP: '/opt/nowhere/bwrap' },
      /SANDBOX=bwrap but \/opt\/nowhere\/bwrap is not installed/,
    ],
    ['the launcher does not run', { SANDBOX_BWRAP: '/bin/false' }, /sandbox probe failed: exit 1/],
    [
      'the sandbox account is missing',
      { SANDBOX_USER: 'nosuchsandbox' },
      /SANDBOX_USER=nosuchsandbox: no such unprivileged account/,
    ],
  ])('an md/qc pool whose sandbox does not work stops with 78 saying so: %s', async (_, env, message) => {
    const worker = spawnBuilt('workers/main.js', ['--queues', 'md,qc'], { ...withoutMasterSecrets(world.env), ...env });
    expect((await worker.exited).code).toBe(78);
    expect(worker.output()).toMatch(message);
  });

  it('a worker without REDIS_URL names it', async () => {
    const { REDIS_URL: _, ...env } = world.env;
    const worker = spawnBuilt('workers/main.js', ['--queues', 'ingestion'], withoutMasterSecrets(env));
    expect((await worker.exited).code).toBe(78);
    expect(worker.output()).toContain('REDIS_URL');
  });
});
