import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { QueueName } from '../../queues';
import { QueueProducer } from '../../src/queueing/queue-producer';
import type { SlurmDriver, SlurmJobStatus } from '../../src/slurm/slurm-driver';
import { WorkerTokensService } from '../../src/worker-tokens/worker-tokens.service';
import { Bridge } from '../../workers/bridge/bridge';
import { MasterClient, MasterHttpError } from '../../workers/bridge/master-client';
import { eventually } from '../support/eventually';
import { OwnRedis, freePort } from '../support/own-redis';
import { xtbJob } from '../support/specs';
import { TcpProxy } from '../support/tcp-proxy';
import { newWorld, setUpWorld, tearDownWorld, type TestWorld } from '../support/test-config';
import { TestPlatform } from '../support/test-master';

// Issue 30.5: a Redis error while a lease is renewed is not a lost lease. The master reaches a Redis of
// this file's own through a TCP proxy; a real Bridge (its Slurm a stand-in: every job RUNNING until told
// otherwise) holds four leases and heartbeats them every 250 ms while Redis is paused, cut off, or
// refusing the renewal's script.

/** Every call the bridge made to the master: its path, HTTP status (0: no answer) and duration. */
class RecordingMaster extends MasterClient {
  readonly calls: { path: string; status: number; at: number; ms: number }[] = [];

  override async call<T>(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<T> {
    const at = Date.now();
    try {
      const answer = await super.call<T>(method, path, body, timeoutMs);
      this.calls.push({ path, status: 200, at, ms: Date.now() - at });
      return answer;
    } catch (err) {
      this.calls.push({ path, status: err instanceof MasterHttpError ? err.status : 0, at, ms: Date.now() - at });
      throw err;
    }
  }
}

/** A cluster stand-in: counts each job's sbatch, reports every job in `state`. */
function fakeSlurm() {
  const submits = new Map<string, number>();
  const cluster = { state: 'RUNNING', submits };
  const status = (id: string) => {
    const phase = cluster.state === 'COMPLETED' ? 'completed' : 'running';
    return {
      schedulerId: id,
      state: cluster.state,
      reason: 'None',
      phase,
      outcome: phase,
    } as unknown as SlurmJobStatus;
  };
  let next = 100;
  const slurm = {
    qualify: (id: string) => `slurm:fake:${id}`,
    ownSlurmId: (id: string | null) => (id?.startsWith('slurm:fake:') ? id.slice('slurm:fake:'.length) : null),
    submit: async (manifest: { jobId: string }) => {
      submits.set(manifest.jobId, (submits.get(manifest.jobId) ?? 0) + 1);
      return { schedulerId: String(next++), reattached: false };
    },
    poll: async (ids: string[]) => Object.assign(new Map(ids.map((id) => [id, status(id)])), { skipped: [] }),
    progress: async () => null,
    failureMessage: async () => 'failed',
    cancel: async () => undefined,
    outputNames: async () => ['xtbout.json'],
    readOutput: async () => Buffer.from('{"total energy": -5.07}\n'),
    engines: async () => [{ engine: 'xtb', version: 'xtb 6.5.1' }],
  } as unknown as SlurmDriver;
  return { slurm, cluster };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let redis: OwnRedis;
let link: TcpProxy;
let admin: Redis;
let world: TestWorld;
let platform: TestPlatform;
let bridge: Bridge;
let master: RecordingMaster;
const { slurm, cluster } = fakeSlurm();
const bridgeLog: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'molq-lease-renewal-'));

beforeAll(async () => {
  redis = new OwnRedis(await freePort());
  await redis.start();
  admin = new Redis(redis.port, '127.0.0.1', { maxRetriesPerRequest: 1 }); // straight to Redis, not through the link
  link = new TcpProxy('127.0.0.1', redis.port);
  await link.start();
  world = newWorld({
    REDIS_URL: `redis://127.0.0.1:${link.port}`,
    LEASE_MS: '30000',
    LEASE_CHECK_MS: '1000',
    CLAIM_WAIT_MS: '1000',
  });
  await setUpWorld(world);
  platform = new TestPlatform(world);
  await platform.start([QueueName.Ingestion]); // no md/qc pool: only the bridge runs jobs
  const { token } = await platform.app.get(WorkerTokensService).create('campus-lease', ['qc']);
  master = new RecordingMaster(await platform.listen(), token);
  bridge = new Bridge(
    master,
    slurm,
    { queues: [QueueName.Qc], maxJobs: 10, heartbeatMs: 250, claimWaitMs: 1000, stateFile: join(dir, 'state.json') },
    (line) => bridgeLog.push(line),
  );
  await bridge.start();
});

afterAll(async () => {
  await bridge?.stop();
  await platform?.stop();
  if (world) await tearDownWorld(world);
  admin?.disconnect();
  await link?.cut();
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("Redis in trouble under a bridge's leases (issue 30.5)", () => {
  it('paused 3 s, cut off 3 s, refusing the renewal for 2 s: no job dropped (no 409), none run twice, every lease completes', async () => {
    const user = await platform.newUser();
    const http = () => platform.http();
    const engines = async () => (await http().get('/api/v1/engines').set('Authorization', user.auth)).body;
    await eventually(async () => (await engines()).length === 1, 20_000, 100); // the bridge reported xtb
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push(
        (
          await http()
            .post('/api/v1/jobs')
            .set('Authorization', user.auth)
            .send(xtbJob({ name: `w${i}` }))
            .expect(202)
        ).body.id,
      );
    const statuses = async () => Promise.all(ids.map(async (id) => (await platform.job(id, user.auth)).status));
    await eventually(async () => (await statuses()).every((s) => s === 'RUNNING'), 30_000, 100);
    const lockKey = (id: string) => `${world.env.REDIS_PREFIX}:qc:${id}:lock`;
    const leases = await Promise.all(ids.map((id) => admin.get(lockKey(id))));
    expect(leases.every((l) => typeof l === 'string')).toBe(true);
    /** The heartbeats answered that were in flight at some time between `from` and `to`. */
    const heartbeats = (from: number, to = Infinity) =>
      master.calls.filter((c) => c.path.endsWith('/heartbeat') && c.at + c.ms >= from && c.at < to);
    /** Every job has been heartbeaten with success since `from` (the bridge is past the trouble). */
    const allRenewedSince = (from: number) =>
      ids.every((id) => heartbeats(from).some((c) => c.path.includes(id) && c.status === 200));
    const lost = () => master.calls.filter((c) => c.status === 409 || c.status === 404);
    /** Waits until every lease has been renewed since `from`; else says what the bridge was told. */
    const renewedSince = (phase: string, from: number) =>
      eventually(() => allRenewedSince(from), 20_000, 100).catch((err: Error) => {
        const told = JSON.stringify(lost().map((c) => `${c.path}: ${c.status}`));
        const dropped = bridgeLog.filter((l) => l.includes('no longer held'));
        throw new Error(`${phase}: ${err.message}; answers 409/404: ${told}; bridge: ${dropped.join(' | ')}`);
      });

    // 1. the issue's own test: Redis paused for 3 s
    const paused = Date.now();
    await admin.call('CLIENT', 'PAUSE', '3000', 'ALL');
    await sleep(3_000);
    await renewedSince('after the pause', Date.now() - 300);
    expect(heartbeats(paused, paused + 3_000).length).toBeGreaterThan(0);

    // 2. the link to Redis cut for 3 s: every connection dropped, new ones refused
    const cut = Date.now();
    await link.cut();
    await sleep(3_000);
    await link.restore();
    const restored = Date.now();
    await renewedSince('after the cut', restored);
    expect(heartbeats(cut, restored).length).toBeGreaterThan(0);

    // 3. Redis up, but failing the renewal's script (an error reply) for 2 s while the job's entry reads fine:
    // the renewal is tried again with backoff, so the heartbeats answer 200 once it passes, not 409 and not 503
    const refused = Date.now();
    await admin.call('ACL', 'SETUSER', 'default', '-evalsha', '-eval');
    await sleep(2_000);
    await admin.call('ACL', 'SETUSER', 'default', '+@all');
    await renewedSince('after the refusal', Date.now() - 300);
    const during = heartbeats(refused, refused + 2_000);
    expect(during.length).toBeGreaterThan(0);
    expect(during.map((c) => c.status)).toEqual(during.map(() => 200));
    expect(Math.max(...during.map((c) => c.ms))).toBeGreaterThan(1_000); // one waited the refusal out

    // nothing dropped, nothing given to another claim, nothing submitted twice
    expect(lost()).toEqual([]);
    expect(bridgeLog.filter((l) => l.includes('no longer held'))).toEqual([]);
    expect(await Promise.all(ids.map((id) => admin.get(lockKey(id))))).toEqual(leases);
    expect(ids.map((id) => cluster.submits.get(id))).toEqual(ids.map(() => 1));
    expect(await statuses()).toEqual(ids.map(() => 'RUNNING'));

    // and each lease is still the bridge's to end: Slurm says COMPLETED, the files go up, the jobs move on
    cluster.state = 'COMPLETED';
    await eventually(async () => (await statuses()).every((s) => s === 'UPLOADING'), 30_000, 100);
    for (const id of ids) {
      const moves = (await platform.job(id, user.auth)).events.map((e: { to: string }) => e.to);
      expect(moves).toEqual(['PENDING', 'QUEUED', 'DISPATCHED', 'RUNNING', 'UPLOADING']); // never back to QUEUED
    }
    expect(lost()).toEqual([]);
    const queue = platform.app.get(QueueProducer).queue(QueueName.Qc);
    expect(await Promise.all(ids.map((id) => queue.getJobState(id)))).toEqual(ids.map(() => 'completed'));
  });
});
