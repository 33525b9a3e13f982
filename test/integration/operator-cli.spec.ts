import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import type { DataSource } from 'typeorm';
import { eventually } from '../support/eventually';
import { WorkerTokensService } from '../../src/worker-tokens/worker-tokens.service';
import { openDataSource } from '../support/data-source';
import { spawnBuilt } from '../support/processes';
import { newWorld, setUpWorld, tearDownWorld } from '../support/test-config';

const world = newWorld();
let ds: DataSource;

beforeAll(async () => {
  await setUpWorld(world);
  ds = await openDataSource(world);
});

afterAll(async () => {
  await ds?.destroy();
  await tearDownWorld(world);
});

async function cli(args: string[], env: Record<string, string> = {}) {
  const p = spawnBuilt('src/cli/main.js', args, { ...world.env, ...env });
  const { code } = await p.exited;
  return { code, out: p.output() };
}

describe('operator CLI', () => {
  it('creates the first admin (password from the environment, never echoed)', async () => {
    const { code, out } = await cli(['users', 'create', '--email', 'Root@Example.org', '--role', 'admin'], {
      MOLQ_PASSWORD: 'a very long admin password',
    });
    expect(code).toBe(0);
    expect(out).toMatch(/^created admin root@example\.org \(/);
    expect(out).not.toContain('a very long admin password');
    const [row] = await ds.query("SELECT role, password_hash FROM users WHERE email = 'root@example.org'");
    expect(row.role).toBe('admin');
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('creates a worker token shown once, stored hashed, lists it with last-seen time, and revokes it', async () => {
    const created = await cli(['tokens', 'create', '--name', 'campus-01', '--queues', 'md,qc']);
    expect(created.code).toBe(0);
    const token = created.out.trim().split('\n').pop()!;
    expect(token).toMatch(/^mqw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const [row] = await ds.query("SELECT token_hash, queues FROM worker_tokens WHERE name = 'campus-01'");
    expect(row.token_hash).not.toContain(token.slice(18));
    expect(row.queues).toEqual(['md', 'qc']);

    expect((await cli(['tokens', 'list'])).out).toMatch(/campus-01\tmd,qc\t\S+\tnever\tactive/);
    const tokens = new WorkerTokensService(ds);
    expect((await tokens.verify(token))?.name).toBe('campus-01');
    expect(await tokens.verify(token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBeNull();
    expect((await cli(['tokens', 'list'])).out).toMatch(/campus-01\tmd,qc\t\S+\t\d{4}-\d\d-\d\dT[^\t]+\tactive/);

    expect((await cli(['tokens', 'create', '--name', 'campus-01', '--queues', 'md'])).out).toContain(
      'an active token named campus-01 exists',
    );
    expect((await cli(['tokens', 'revoke', '--name', 'campus-01'])).out).toContain('revoked campus-01');
    expect(await tokens.verify(token)).toBeNull();
    expect((await cli(['tokens', 'list'])).out).toMatch(/campus-01\tmd,qc\t.*\trevoked /);
  });

  it('refuses unknown queues and unknown commands with a clear message', async () => {
    const bad = await cli(['tokens', 'create', '--name', 'x', '--queues', 'md,gpu']);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('queues: unknown queue(s) gpu');
    const unknown = await cli(['tokens', 'explode']);
    expect(unknown.code).toBe(64);
    expect(unknown.out).toContain('unknown command: tokens explode');
  });

  it('shows the limiter window use per key', async () => {
    const res = await cli(['limiter', 'status'], { LIMITER_LIMITS: 'oss=100/1s' });
    expect(res.code).toBe(0);
    expect(res.out).toMatch(/external\t0\t200\t1000ms\t0\t0/);
    expect(res.out).toMatch(/oss\t0\t100\t1000ms\t0\t0/);
    const bad = await cli(['limiter', 'status'], { LIMITER_LIMITS: 'oss=lots' });
    expect(bad.code).toBe(78);
    expect(bad.out).toContain('LIMITER_LIMITS: "oss=lots" is not key=N/<window>(ms|s)');
  });

  it('bars an engine version from result reuse and allows it again; a bad engine is refused naming --engine', async () => {
    const block = await cli([
      'reuse',
      'block',
      '--engine',
      'xtb',
      '--version',
      'xtb 6.4.0',
      '--reason',
      'wrong dipoles',
    ]);
    expect(block.code).toBe(0);
    expect(block.out).toContain('xtb "xtb 6.4.0": results no longer reused');
    expect(block.out).toMatch(/xtb\txtb 6\.4\.0\t0\tblocked \(wrong dipoles\)/);
    const [row] = await ds.query(`SELECT blocked_by FROM reuse_blocked_versions WHERE engine_version = 'xtb 6.4.0'`);
    expect(row.blocked_by).toBe('cli');
    const allow = await cli(['reuse', 'allow', '--engine', 'xtb', '--version', 'xtb 6.4.0']);
    expect(allow.out).toContain('results reused again');
    expect((await cli(['reuse', 'versions'])).out).not.toContain('xtb 6.4.0');
    const bad = await cli(['reuse', 'block', '--engine', 'vasp', '--version', '6']);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('engine: must be one of');
    expect((await cli(['reuse', 'block', '--engine', 'xtb'])).out).toContain('missing --version');
  });

  it('promotes a user to operator', async () => {
    await cli(['users', 'create', '--email', 'op@example.org'], { MOLQ_PASSWORD: 'operator password 1' });
    const res = await cli(['users', 'promote', '--email', 'op@example.org', '--role', 'operator']);
    expect(res.out).toContain('op@example.org is now operator');
  });

  describe('queues', () => {
    const connection = { host: '127.0.0.1', port: Number(new URL(world.env.REDIS_URL).port || 6379) };
    const opened = new Map<string, Queue>();
    const queue = (name: string) =>
      opened.get(name) ?? opened.set(name, new Queue(name, { connection, prefix: world.env.REDIS_PREFIX })).get(name)!;
    afterAll(async () => Promise.all([...opened.values()].map((q) => q.close())));

    it('status: entries per state, paused or not, workers connected, and the limiter', async () => {
      const md = queue('md');
      await md.add('md', { jobId: randomUUID() });
      await md.add('md', { jobId: randomUUID() });
      const worker = new Worker('qc', async () => undefined, {
        connection,
        prefix: world.env.REDIS_PREFIX,
        autorun: false,
      });
      await worker.waitUntilReady();
      void worker.run();
      try {
        await eventually(async () => (await queue('qc').getWorkersCount()) === 1, 5_000);
        const res = await cli(['queues', 'status']);
        expect(res.code).toBe(0);
        expect(res.out).toMatch(/^queue\tpaused\tworkers\twaiting\tprioritized\tactive\tdelayed\tfailed\tcompleted$/m);
        expect(res.out).toMatch(/^md\tno\t0\t2\t0\t0\t0\t0\t0$/m);
        expect(res.out).toMatch(/^qc\tno\t1\t0\t0\t0\t0\t0\t0$/m);
        for (const name of ['ingestion', 'upload', 'reports'])
          expect(res.out).toMatch(new RegExp(`^${name}\tno\t`, 'm'));
        expect(res.out).toMatch(/external\t0\t200\t1000ms/);
      } finally {
        await worker.close();
        await md.obliterate({ force: true });
      }
    });

    it('pause and resume, everywhere at once', async () => {
      expect((await cli(['queues', 'pause', '--queue', 'md,qc'])).out).toBe('md: paused\nqc: paused\n');
      expect(await queue('md').isPaused()).toBe(true);
      expect((await cli(['queues', 'status'])).out).toMatch(/^md\tyes\t/m);
      expect((await cli(['queues', 'resume', '--queue', 'all'])).code).toBe(0);
      expect(await queue('md').isPaused()).toBe(false);
      expect(await queue('qc').isPaused()).toBe(false);
    });

    it('drain: pauses, waits for the running entry to finish, leaves the waiting ones', async () => {
      const upload = queue('upload');
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const worker = new Worker('upload', () => held, { connection, prefix: world.env.REDIS_PREFIX });
      try {
        await upload.add('upload', { jobId: randomUUID() });
        await eventually(async () => (await upload.getActiveCount()) === 1, 5_000);
        await upload.add('upload', { jobId: randomUUID() });
        const draining = cli(['queues', 'drain', '--queue', 'upload', '--timeout', '30']);
        await eventually(async () => upload.isPaused(), 10_000);
        setTimeout(release, 1_500);
        const res = await draining;
        expect(res.code).toBe(0);
        expect(res.out).toContain('upload: paused, 1 running…');
        expect(res.out).toContain('upload: drained (paused, nothing running)');
        expect(await upload.getWaitingCount()).toBe(1); // kept for after resume
      } finally {
        await worker.close();
        await upload.obliterate({ force: true });
      }
    });

    it('retry-failed puts failed entries back; an unknown queue is refused naming --queue', async () => {
      const reports = queue('reports');
      const worker = new Worker('reports', async () => Promise.reject(new Error('boom')), {
        connection,
        prefix: world.env.REDIS_PREFIX,
      });
      try {
        await reports.add('reports', { jobId: randomUUID() }, { attempts: 1 });
        await eventually(async () => (await reports.getFailedCount()) === 1, 5_000);
        await worker.close();
        const res = await cli(['queues', 'retry-failed', '--queue', 'reports']);
        expect(res.out).toContain('reports: 1 failed entr(ies) back to waiting');
        expect(await reports.getFailedCount()).toBe(0);
        expect(await reports.getWaitingCount()).toBe(1);
      } finally {
        await worker.close();
        await reports.obliterate({ force: true });
      }
      const bad = await cli(['queues', 'pause', '--queue', 'gpu']);
      expect(bad.code).toBe(64);
      expect(bad.out).toContain('--queue: gpu is not a molq queue');
    });
  });
});
