import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { QueueName } from '../../queues';
import { loadConfig } from '../../src/config/load-config';
import { WorkerTokensService } from '../../src/worker-tokens/worker-tokens.service';
import { BridgeConfig } from '../../workers/bridge/bridge.config';
import { createBridge } from '../../workers/bridge/create-bridge';
import { eventually } from '../support/eventually';
import { spawnBuilt } from '../support/processes';
import { clusterEnv, ownSshd } from '../support/test-cluster';
import { ETHANOL, gaussianJob, meltJob } from '../support/specs';
import { newWorld, setUpWorld, tearDownWorld } from '../support/test-config';
import { TestPlatform } from '../support/test-master';

// The master (with ingestion, upload and reports pools, no local md/qc pool) and a bridge that
// reaches it over HTTP on loopback and the real Slurm through the real sshd on 127.0.0.1:2222.
const world = newWorld({ CLAIM_WAIT_MS: '2000' });
const platform = new TestPlatform(world);
const stateFile = join(tmpdir(), `molq-bridge-${world.id}.json`);
let user: Awaited<ReturnType<TestPlatform['newUser']>>;
let bridge: ReturnType<typeof createBridge>;
let bridgeEnv: Record<string, string>;

beforeAll(async () => {
  await setUpWorld(world);
  await platform.start([QueueName.Ingestion, QueueName.Upload, QueueName.Reports]);
  await platform.app.listen(0, '127.0.0.1');
  const port = (platform.app.getHttpServer().address() as { port: number }).port;
  user = await platform.newUser(['scripts']);
  const { token } = await platform.app.get(WorkerTokensService).create('campus-test', ['md', 'qc']);
  bridgeEnv = {
    BRIDGE_MASTER_URL: `http://127.0.0.1:${port}`,
    BRIDGE_TOKEN: token,
    BRIDGE_HEARTBEAT_MS: '500',
    BRIDGE_CLAIM_WAIT_MS: '2000',
    BRIDGE_STATE_FILE: stateFile,
    ...clusterEnv(),
  };
  bridge = createBridge(loadConfig(BridgeConfig, bridgeEnv), () => undefined);
  await bridge.bridge.start();
});

afterAll(async () => {
  await bridge?.bridge.stop();
  bridge?.ssh.close();
  await platform.stop();
  await tearDownWorld(world);
  rmSync(stateFile, { force: true });
});

const http = () => platform.http();
const getJob = (id: string) => platform.job(id, user.auth);

describe('campus bridge end to end (real Slurm over ssh2)', () => {
  it('the bridge reports what its cluster runs (LAMMPS and xtb with their versions, no g16): Gaussian is refused', async () => {
    const engines = async () => (await http().get('/api/v1/engines').set('Authorization', user.auth).expect(200)).body;
    await eventually(async () => (await engines()).length === 2, 30_000, 250);
    expect(await engines()).toEqual([
      { engine: 'lammps', queue: 'md', versions: [expect.stringMatching(/^LAMMPS \(/)], pools: 0, bridges: 1 },
      { engine: 'xtb', queue: 'qc', versions: [expect.stringMatching(/^xtb \d/)], pools: 0, bridges: 1 },
    ]);
    const refused = await http().post('/api/v1/jobs').set('Authorization', user.auth).send(gaussianJob()).expect(409);
    expect(refused.body.message).toEqual([
      'engine: Gaussian is not available on this server (no live pool or bridge runs it)',
    ]);
  });

  it('an LJ melt and an xtb optimisation go from submission through Slurm to COMPLETED with their reports', async () => {
    const md = (
      await http()
        .post('/api/v1/jobs')
        .set('Authorization', user.auth)
        .send(meltJob({ name: 'slurm melt' }))
        .expect(202)
    ).body.id;
    const qc = (
      await http()
        .post('/api/v1/jobs')
        .set('Authorization', user.auth)
        .send({ type: 'qc', engine: 'xtb', reuse: false, qc: { xyz: ETHANOL, task: 'opt' } })
        .expect(202)
    ).body.id;
    for (const id of [md, qc]) {
      await eventually(async () => ['COMPLETED', 'FAILED'].includes((await getJob(id)).status), 40_000, 250).catch(
        async (e) => {
          throw new Error(
            `${e.message}; job ${JSON.stringify((await getJob(id)).events)}; bridge errors ${bridge.bridge.errors.join(' | ')}`,
          );
        },
      );
      const job = await getJob(id);
      expect({ status: job.status, error: job.error }).toEqual({ status: 'COMPLETED', error: null });
      expect(job.schedulerId).toMatch(/^slurm:127\.0\.0\.1:\d+$/); // executor and cluster named
      expect(job.events.map((e: { actor: string }) => e.actor)).toContain('token:campus-test');
      expect(job.artifacts.map((a: { name: string }) => a.name)).toEqual(
        expect.arrayContaining(['report.html', 'stdout.log']),
      );
    }
    const named = await bridge.ssh.exec(`squeue -h -t all -n molq-${md} -o %i`);
    expect(named.stdout.trim().split('\n')).toHaveLength(1); // exactly one submission
  });

  it("a user's cancel becomes scancel within a heartbeat, and the job ends CANCELLED", async () => {
    const id = (
      await http()
        .post('/api/v1/jobs')
        .set('Authorization', user.auth)
        .send(meltJob({ md: { template: 'lj-melt', params: { atomsPerSide: 6, steps: 10_000_000 } } }))
        .expect(202)
    ).body.id;
    await eventually(async () => (await getJob(id)).status === 'RUNNING', 60_000, 200);
    const schedulerId = (await getJob(id)).schedulerId.split(':').pop();
    await http().post(`/api/v1/jobs/${id}/cancel`).set('Authorization', user.auth).expect(200);
    await eventually(
      async () => {
        const out = await bridge.ssh.exec(`squeue -h -t all -j ${schedulerId} -o %T`);
        return out.stdout.trim().startsWith('CANCELLED');
      },
      10_000,
      200,
    );
    expect((await getJob(id)).status).toBe('CANCELLED');
  });

  it('a Slurm job that exits non-zero ends FAILED with the tail of its log', async () => {
    const id = (
      await http()
        .post('/api/v1/jobs')
        .set('Authorization', user.auth)
        .field('spec', JSON.stringify({ type: 'md', engine: 'lammps', md: { script: 'in.bad' } }))
        .attach('files', Buffer.from('units lj\nrun 10\n'), 'in.bad') // passes the screen, fails in LAMMPS
        .expect(202)
    ).body.id;
    await eventually(async () => ['FAILED', 'COMPLETED'].includes((await getJob(id)).status), 40_000, 250);
    const job = await getJob(id);
    expect(job.status).toBe('FAILED');
    expect(job.error).toMatch(
      /^Slurm job \d+ ended FAILED \(NonZeroExitCode\): ERROR: Run command before simulation box is defined$/,
    );
  });

  it('the master unreachable for 60 s: the bridge keeps its job and reports it when the master returns', async () => {
    const id = (
      await http()
        .post('/api/v1/jobs')
        .set('Authorization', user.auth)
        .send(meltJob({ md: { template: 'lj-melt', params: { atomsPerSide: 6, steps: 4000 } } }))
        .expect(202)
    ).body.id;
    await eventually(async () => (await getJob(id)).status === 'RUNNING', 40_000, 100);
    const server = platform.app.getHttpServer();
    const port = (server.address() as { port: number }).port;
    const errorsBefore = bridge.bridge.errors.length;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections?.();
    });
    await new Promise((r) => setTimeout(r, 60_000)); // the Slurm job finishes while the master is away
    expect(bridge.bridge.errors.length).toBeGreaterThan(errorsBefore + 50); // it kept trying (500 ms heartbeats), and carried on
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    await eventually(async () => ['COMPLETED', 'FAILED'].includes((await getJob(id)).status), 40_000, 250);
    const job = await getJob(id);
    expect(job.status).toBe('COMPLETED');
    expect(job.artifacts.map((a: { name: string }) => a.name)).toContain('log.lammps');
    expect((await bridge.ssh.exec(`squeue -h -t all -n molq-${id} -o %i`)).stdout.trim().split('\n')).toHaveLength(1);
  }, 150_000);

  it('two bridges at once, one per queue: each claims only what its token allows', async () => {
    await bridge.bridge.stop(); // from here on the bridges of each test take the work
    const tokens = platform.app.get(WorkerTokensService);
    const md = await tokens.create('campus-md', ['md']);
    const qc = await tokens.create('campus-qc', ['qc']);
    const bridges = [
      createBridge(
        loadConfig(BridgeConfig, {
          ...bridgeEnv,
          BRIDGE_TOKEN: md.token,
          BRIDGE_QUEUES: 'md',
          BRIDGE_STATE_FILE: `${stateFile}.md`,
        }),
        () => undefined,
      ),
      createBridge(
        loadConfig(BridgeConfig, {
          ...bridgeEnv,
          BRIDGE_TOKEN: qc.token,
          BRIDGE_QUEUES: 'qc',
          BRIDGE_STATE_FILE: `${stateFile}.qc`,
        }),
        () => undefined,
      ),
    ];
    // a bridge asking for a queue its token does not allow is refused, not served
    const greedy = createBridge(
      loadConfig(BridgeConfig, {
        ...bridgeEnv,
        BRIDGE_TOKEN: md.token,
        BRIDGE_QUEUES: 'md,qc',
        BRIDGE_STATE_FILE: `${stateFile}.greedy`,
      }),
      () => undefined,
    );
    await greedy.bridge.start();
    await eventually(
      () => greedy.bridge.errors.some((e) => /claim: .*400.*this token may not take qc/.test(e)),
      10_000,
      50,
    );
    await greedy.bridge.stop();
    greedy.ssh.close();
    for (const b of bridges) await b.bridge.start();
    try {
      const mdJob = (
        await http()
          .post('/api/v1/jobs')
          .set('Authorization', user.auth)
          .send(meltJob({ name: 'md via campus-md' }))
          .expect(202)
      ).body.id;
      const qcJob = (
        await http()
          .post('/api/v1/jobs')
          .set('Authorization', user.auth)
          .send({ type: 'qc', engine: 'xtb', reuse: false, qc: { xyz: ETHANOL, task: 'sp' } })
          .expect(202)
      ).body.id;
      for (const [id, actor] of [
        [mdJob, 'token:campus-md'],
        [qcJob, 'token:campus-qc'],
      ]) {
        await eventually(async () => ['COMPLETED', 'FAILED'].includes((await getJob(id)).status), 60_000, 250);
        const job = await getJob(id);
        expect(job.status).toBe('COMPLETED');
        const actors = new Set(
          job.events.map((e: { actor: string }) => e.actor).filter((a: string) => a.startsWith('token:')),
        );
        expect([...actors]).toEqual([actor]);
      }
    } finally {
      for (const b of bridges) {
        await b.bridge.stop();
        b.ssh.close();
      }
      for (const suffix of ['md', 'qc', 'greedy']) rmSync(`${stateFile}.${suffix}`, { force: true });
    }
  }, 120_000);

  it('sshd restarted mid-run (live connection dropped): the bridge reconnects and carries on', async () => {
    await bridge.bridge.stop(); // only the bridge on the test's own sshd takes work now
    const sshd = ownSshd(2224);
    sshd.stop();
    sshd.start();
    const own = createBridge(
      loadConfig(BridgeConfig, { ...bridgeEnv, SSH_PORT: '2224', BRIDGE_STATE_FILE: `${stateFile}.sshd` }),
      () => undefined,
    );
    await own.bridge.start();
    try {
      const id = (
        await http()
          .post('/api/v1/jobs')
          .set('Authorization', user.auth)
          .send(meltJob({ md: { template: 'lj-melt', params: { atomsPerSide: 6, steps: 6000 } } }))
          .expect(202)
      ).body.id;
      await eventually(async () => (await getJob(id)).status === 'RUNNING', 40_000, 100);
      sshd.stop();
      await eventually(async () => own.bridge.errors.some((e) => e.startsWith('poll:')), 10_000, 100); // it noticed
      await new Promise((r) => setTimeout(r, 2_000));
      sshd.start();
      await eventually(async () => ['COMPLETED', 'FAILED'].includes((await getJob(id)).status), 60_000, 250);
      expect((await getJob(id)).status).toBe('COMPLETED');
      expect((await bridge.ssh.exec(`squeue -h -t all -n molq-${id} -o %i`)).stdout.trim().split('\n')).toHaveLength(1);
    } finally {
      await own.bridge.stop();
      own.ssh.close();
      sshd.stop();
      rmSync(`${stateFile}.sshd`, { force: true });
    }
  }, 120_000);

  it('a bridge killed between its claim and sbatch: the restarted bridge launches the job at once, not after the lease lapses', async () => {
    await bridge.bridge.stop();
    const id = (
      await http()
        .post('/api/v1/jobs')
        .set('Authorization', user.auth)
        .send(meltJob({ name: 'claimed then killed' }))
        .expect(202)
    ).body.id;
    // the claim the killed bridge had received, written to its state file before anything else
    let claimed: { jobId: string }[] = [];
    await eventually(
      async () => {
        const res = await http()
          .post('/api/v1/workers/jobs/claim')
          .set('Authorization', `Bearer ${bridgeEnv.BRIDGE_TOKEN}`)
          .send({ queues: ['md'], max: 1, waitMs: 1000 })
          .expect(200);
        claimed = res.body.jobs;
        return claimed.length > 0;
      },
      30_000,
      100,
    );
    expect(claimed.map((j) => j.jobId)).toEqual([id]);
    writeFileSync(`${stateFile}.claimed`, JSON.stringify({ active: [], claimed }));
    const restarted = createBridge(
      loadConfig(BridgeConfig, { ...bridgeEnv, BRIDGE_STATE_FILE: `${stateFile}.claimed` }),
      () => undefined,
    );
    const started = Date.now();
    await restarted.bridge.start();
    try {
      await eventually(async () => ['COMPLETED', 'FAILED'].includes((await getJob(id)).status), 60_000, 250);
      expect((await getJob(id)).status).toBe('COMPLETED');
      expect(Date.now() - started).toBeLessThan(60_000); // the lease (LEASE_MS, 5 min here) never had to lapse
      expect((await bridge.ssh.exec(`squeue -h -t all -n molq-${id} -o %i`)).stdout.trim().split('\n')).toHaveLength(1);
    } finally {
      await restarted.bridge.stop();
      restarted.ssh.close();
      rmSync(`${stateFile}.claimed`, { force: true });
    }
  }, 120_000);

  it('a bridge whose cluster shows another host key stops at once with exit 78 and says so', async () => {
    const wrong = spawnBuilt('workers/bridge/main.js', [], {
      ...bridgeEnv,
      SSH_HOST_FINGERPRINT: `SHA256:${'A'.repeat(43)}`,
      BRIDGE_STATE_FILE: `${stateFile}.wrong`,
    });
    const { code } = await wrong.exited;
    expect(code).toBe(78);
    expect(wrong.output()).toMatch(
      /host key of 127\.0\.0\.1:2222 is SHA256:\S+, not the pinned SHA256:A{43}: refusing to connect/,
    );
  });

  it('a bridge whose cluster sandbox does not run stops with exit 78 and says so (the probe on the login node)', async () => {
    const broken = spawnBuilt('workers/bridge/main.js', [], {
      ...bridgeEnv,
      CLUSTER_SANDBOX_BIN: '/opt/nowhere/bwrap',
      BRIDGE_STATE_FILE: `${stateFile}.nosandbox`,
    });
    expect((await broken.exited).code).toBe(78);
    expect(broken.output()).toMatch(/cluster sandbox probe failed \(CLUSTER_SANDBOX=bwrap\): exit 127/);
  });

  it('with CLUSTER_SANDBOX=none an uploaded script is refused for good (FAILED, not retried); templates still run', async () => {
    const bare = createBridge(
      loadConfig(BridgeConfig, { ...bridgeEnv, CLUSTER_SANDBOX: 'none', BRIDGE_STATE_FILE: `${stateFile}.bare` }),
      () => undefined,
    );
    await bridge.bridge.stop();
    await bare.bridge.start();
    try {
      const id = (
        await http()
          .post('/api/v1/jobs')
          .set('Authorization', user.auth)
          .field('spec', JSON.stringify({ type: 'md', engine: 'lammps', md: { script: 'in.ok' } }))
          .attach('files', Buffer.from('units lj\n'), 'in.ok')
          .expect(202)
      ).body.id;
      await eventually(async () => (await getJob(id)).status === 'FAILED', 40_000, 250);
      expect((await getJob(id)).error).toMatch(
        /uploaded scripts run only in a sandbox, and this cluster has CLUSTER_SANDBOX=none/,
      );
    } finally {
      await bare.bridge.stop();
      bare.ssh.close();
      rmSync(`${stateFile}.bare`, { force: true });
      await bridge.bridge.start();
    }
  }, 90_000);

  it.each([
    ['a local pool', 'local:some-worker-node:4242'],
    ['another cluster', 'slurm:another-cluster:1'],
    ['an id from before ids were qualified', '1'],
  ])(
    'a job handed back by %s (scheduler id %s) is submitted to this cluster, not re-attached to that number',
    async (_, foreign) => {
      await bridge.bridge.stop();
      const id = (
        await http()
          .post('/api/v1/jobs')
          .set('Authorization', user.auth)
          .send(meltJob({ md: { template: 'lj-melt', params: { atomsPerSide: 4, steps: 200 } } }))
          .expect(202)
      ).body.id;
      await eventually(async () => (await getJob(id)).status === 'QUEUED', 20_000, 100);
      await platform.app.get(DataSource).query('UPDATE jobs SET scheduler_id = $2 WHERE id = $1', [id, foreign]);
      await bridge.bridge.start();
      await eventually(async () => ['COMPLETED', 'FAILED'].includes((await getJob(id)).status), 60_000, 250);
      const job = await getJob(id);
      expect({ status: job.status, schedulerId: job.schedulerId }).toEqual({
        status: 'COMPLETED',
        schedulerId: expect.stringMatching(/^slurm:127\.0\.0\.1:\d+$/),
      });
      expect((await bridge.ssh.exec(`squeue -h -t all -n molq-${id} -o %i`)).stdout.trim().split('\n')).toEqual([
        job.schedulerId.split(':').pop(),
      ]);
    },
    90_000,
  );

  it('a bridge killed with SIGKILL while its Slurm job runs, restarted: the job completes, submitted exactly once', async () => {
    await bridge.bridge.stop(); // from here on only bridge processes take work
    const env = { ...bridgeEnv, BRIDGE_STATE_FILE: `${stateFile}.proc` };
    const first = spawnBuilt('workers/bridge/main.js', [], env);
    const id = (
      await http()
        .post('/api/v1/jobs')
        .set('Authorization', user.auth)
        .send(meltJob({ md: { template: 'lj-melt', params: { atomsPerSide: 6, steps: 6000 } } }))
        .expect(202)
    ).body.id;
    await eventually(async () => (await getJob(id)).status === 'RUNNING', 40_000, 100);
    first.proc.kill('SIGKILL');
    await first.exited;
    const second = spawnBuilt('workers/bridge/main.js', [], env);
    try {
      await eventually(async () => ['COMPLETED', 'FAILED'].includes((await getJob(id)).status), 45_000, 250);
      expect((await getJob(id)).status).toBe('COMPLETED');
      expect(second.output()).toContain('resumed 1 job(s)');
      const named = await bridge.ssh.exec(`squeue -h -t all -n molq-${id} -o %i`);
      expect(named.stdout.trim().split('\n')).toHaveLength(1);
    } finally {
      second.proc.kill('SIGTERM');
      await second.exited;
      rmSync(`${stateFile}.proc`, { force: true });
    }
  }, 120_000);
});
