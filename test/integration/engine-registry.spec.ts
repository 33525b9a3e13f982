import { chmodSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { QUEUE_NAMES, QueueName } from '../../queues';
import { EngineHeartbeat } from '../../src/engines/engine-heartbeat';
import { EngineRegistry } from '../../src/engines/engine-registry';
import { RedisClient } from '../../src/redis/redis-client';
import { eventually } from '../support/eventually';
import { gaussianJob, xtbJob } from '../support/specs';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// Issue 28.3, through the real API and real pools: the md/qc pool (LAMMPS and xtb installed, g16 not)
// says what it runs; a job nobody can run is refused or waits, as the operator says; users never see host
// paths. The pool's xtb is a link, so that the binary can vanish after the pool started.
const bin = mkdtempSync(join(tmpdir(), 'molq-engines-'));
chmodSync(bin, 0o755);
const XTB_LINK = join(bin, 'xtb');
symlinkSync('/usr/bin/xtb', XTB_LINK);
const world = newWorld();
world.worker.XTB_BIN = XTB_LINK;
const ctx = usePlatform(world, [...QUEUE_NAMES]);
const http = () => ctx.platform.http();
const sql = (text: string, params: unknown[] = []) => ctx.platform.app.get(DataSource).query(text, params);
const engines = async () =>
  (await http().get('/api/v1/engines').set('Authorization', ctx.user.auth).expect(200)).body as {
    engine: string;
    versions: string[];
    pools: number;
    bridges: number;
  }[];
const jobCount = async () =>
  (await http().get('/api/v1/jobs').set('Authorization', ctx.user.auth).expect(200)).body.total as number;
const finished = async (id: string) => {
  await eventually(
    async () => ['COMPLETED', 'FAILED'].includes((await ctx.platform.job(id, ctx.user.auth)).status),
    120_000,
  );
  return ctx.platform.job(id, ctx.user.auth);
};
const submit = async (job: Record<string, unknown>) =>
  (await http().post('/api/v1/jobs').set('Authorization', ctx.user.auth).send(job).expect(202)).body.id as string;

afterAll(() => rmSync(bin, { recursive: true, force: true }));
afterEach(() => (world.master.ENGINE_UNAVAILABLE = 'refuse'));

describe('engine registry', () => {
  it('GET /engines lists LAMMPS and xtb with the versions the pool would run, not Gaussian, and no host path', async () => {
    await http().get('/api/v1/engines').expect(401);
    const list = await engines();
    expect(list).toEqual([
      {
        engine: 'lammps',
        queue: 'md',
        versions: [expect.stringMatching(/^LAMMPS \(\d+ \w+ \d{4}/)],
        pools: 1,
        bridges: 0,
      },
      { engine: 'xtb', queue: 'qc', versions: [expect.stringMatching(/^xtb \d+\.\d+/)], pools: 1, bridges: 0 },
    ]);
    expect(JSON.stringify(list)).not.toContain('/');
  });

  it('a Gaussian job where no pool has g16 is refused with 409 naming the engine, and no job is made', async () => {
    const before = await jobCount();
    const one = await http().post('/api/v1/jobs').set('Authorization', ctx.user.auth).send(gaussianJob()).expect(409);
    expect(one.body.message).toEqual([
      'engine: Gaussian is not available on this server (no live pool or bridge runs it)',
    ]);
    const bulk = await http()
      .post('/api/v1/jobs/bulk')
      .set('Authorization', ctx.user.auth)
      .send({ jobs: [xtbJob(), gaussianJob()] })
      .expect(409);
    expect(bulk.body.message).toEqual([
      'jobs.1.engine: Gaussian is not available on this server (no live pool or bridge runs it)',
    ]);
    expect(await jobCount()).toBe(before);
  });

  it('with ENGINE_UNAVAILABLE=wait the Gaussian job is accepted, says it waits for an engine, and waits (the xtb pool hands it back)', async () => {
    world.master.ENGINE_UNAVAILABLE = 'wait';
    const id = await submit(gaussianJob());
    await eventually(async () => (await ctx.platform.job(id, ctx.user.auth)).status === 'QUEUED', 20_000);
    await new Promise((r) => setTimeout(r, 3_000)); // the qc pool has taken it and given it back by now
    const job = await ctx.platform.job(id, ctx.user.auth);
    expect(job.status).toBe('QUEUED');
    expect(job.events[0]).toMatchObject({
      to: 'PENDING',
      message:
        'submitted; waits for an engine: Gaussian is not available on this server (no live pool or bridge runs it)',
    });
    await http().post(`/api/v1/jobs/${id}/cancel`).set('Authorization', ctx.user.auth).expect(200);
  });

  it('reuse takes only results computed by the version that would run now', async () => {
    const job = { ...xtbJob(), reuse: undefined, name: 'water for reuse' };
    const first = await finished(await submit(job));
    expect(first.status).toBe('COMPLETED');
    const [now] = (await engines()).find((e) => e.engine === 'xtb')!.versions;
    expect(first.engineVersion).toBe(now);
    await sql(`UPDATE jobs SET engine_version = 'xtb 6.4.0' WHERE id = $1`, [first.id]); // computed by another version
    const second = await finished(await submit(job));
    expect(second).toMatchObject({ status: 'COMPLETED', reusedFrom: null, engineVersion: now }); // it ran
    const third = await finished(await submit(job));
    expect(third).toMatchObject({ status: 'COMPLETED', reusedFrom: second.id }); // the current version's results
  }, 240_000);

  it('a job whose engine vanished after the pool started fails with no host path, and the pool stops offering it', async () => {
    world.master.ENGINE_UNAVAILABLE = 'wait'; // accepted whether or not the pool's next heartbeat came first
    rmSync(XTB_LINK);
    try {
      const job = await finished(await submit(xtbJob()));
      expect(job.status).toBe('FAILED');
      expect(job.error).toBe('xtb is not installed on the pool that took this job');
      expect(JSON.stringify(job.events)).not.toMatch(/\/(usr|root|tmp|bin)\b/);
      await eventually(async () => !(await engines()).some((e) => e.engine === 'xtb'), 15_000, 500);
    } finally {
      symlinkSync('/usr/bin/xtb', XTB_LINK);
    }
  }, 60_000);

  it("an entry not renewed expires, and a stopped pool's entry is gone", async () => {
    const registry = ctx.platform.app.get(EngineRegistry);
    await registry.publish(
      'pool:crashed',
      { kind: 'pool', queues: [QueueName.Qc], engines: [{ engine: 'gaussian', version: null }] },
      3_000, // longer than the master's 1.5 s cache
    );
    await eventually(async () => (await engines()).some((e) => e.engine === 'gaussian'), 5_000);
    await eventually(async () => !(await engines()).some((e) => e.engine === 'gaussian'), 6_000); // never renewed

    const id = ctx.platform.poolService(EngineHeartbeat).id;
    const redis = ctx.platform.app.get(RedisClient).redis;
    const ttl = await redis.pttl(`${world.env.REDIS_PREFIX}:engines:${id}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30_000);
    await ctx.platform.stopPool();
    expect(await redis.exists(`${world.env.REDIS_PREFIX}:engines:${id}`)).toBe(0);
    await eventually(async () => (await engines()).length === 0, 5_000);
    // nothing takes qc jobs now: the job is not refused, it waits and says why
    const waiting = await ctx.platform.job(await submit(gaussianJob()), ctx.user.auth);
    expect(waiting.events[0].message).toBe('submitted; waits for a pool or bridge: none that runs qc jobs is live now');
  });
});
