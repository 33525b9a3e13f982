import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { Queue } from 'bullmq';
import request from 'supertest';
import { QUEUE_NAMES } from '../../queues';
import { MasterConfig } from '../../src/config/master.config';
import { WorkerConfig } from '../../src/config/worker.config';
import { SlurmClusterConfig } from '../../src/slurm/slurm-cluster.config';
import { BridgeConfig } from '../../workers/bridge/bridge.config';
import { ROOT, composeConfig, molqServices, type ComposeService } from '../support/compose';
import { eventually } from '../support/eventually';
import { built } from '../support/processes';
import { WATER } from '../support/specs';
import { newWorld, tearDownWorld } from '../support/test-config';

// The deployment files, checked for real without a Docker engine: Debian's docker-compose
// validates both compose files, nginx -t the nginx configuration, and every molq service of both
// files is started on this host by docker/entrypoint.sh with the environment compose would give
// it (its env file), only the addresses pointed at this machine's PostgreSQL, Redis and disks.

const variablesOf = (...schemas: (new () => object)[]) =>
  new Set(
    schemas.flatMap((s) =>
      getMetadataStorage()
        .getTargetValidationMetadatas(s, '', true, false)
        .map((m) => m.propertyName),
    ),
  );
const envFileKeys = (file: string) =>
  new Set(
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
      .map((l) => l.slice(0, l.indexOf('='))),
  );

describe('deployment files', () => {
  it('docker-compose validates both files; the master node has postgres, redis, master, nginx, ingestion and reports; the worker node upload, reports, md and qc', () => {
    const master = composeConfig('docker-compose.master.yml', '.env.master').services;
    const worker = composeConfig('docker-compose.worker.yml', '.env.worker').services;
    expect(Object.keys(master).sort()).toEqual([
      'ingestion',
      'master',
      'migrate',
      'nginx',
      'postgres',
      'redis',
      'reports',
    ]);
    expect(Object.keys(worker).sort()).toEqual(['md', 'qc', 'reports', 'upload']);
    expect(JSON.stringify(master.redis.command)).toContain('--appendonly yes');
    // scalable with --scale: no fixed container names or host ports on pools
    for (const [, s] of [...molqServices(master), ...molqServices(worker)])
      expect(s).not.toHaveProperty('container_name');
    // the secrets reach the master alone: no pool, on either node, holds them
    const holders = [...molqServices(master), ...molqServices(worker)]
      .filter(([, s]) => s.environment?.JWT_SECRET || s.environment?.URL_SIGNING_SECRET)
      .map(([n]) => n);
    expect(holders).toEqual(['master']);
    expect(master.master.environment?.REGISTRATION).toBe('approval');
  });

  it('the env files list every variable the processes read, with placeholders only', () => {
    const master = new Set([...envFileKeys('.env.master'), ...envFileKeys('.env.master.secrets')]);
    const worker = envFileKeys('.env.worker');
    const skip = new Set(['slurm']); // the nested cluster object, not a variable
    const missingMaster = [...variablesOf(MasterConfig, WorkerConfig)].filter((v) => !skip.has(v) && !master.has(v));
    const missingWorker = [...variablesOf(WorkerConfig, SlurmClusterConfig)].filter(
      (v) => !skip.has(v) && !worker.has(v),
    );
    expect({ missingMaster, missingWorker }).toEqual({ missingMaster: [], missingWorker: [] });
    for (const file of ['.env.master', '.env.master.secrets', '.env.worker', 'docker/bridge/bridge.env.example']) {
      for (const line of readFileSync(join(ROOT, file), 'utf8').split('\n')) {
        if (/(SECRET|PASSWORD|TOKEN|KEY_ID)=/.test(line) && !line.startsWith('#'))
          expect(line).toMatch(/=(|.*change-me.*|.*example.*)$/);
      }
    }
    const bridgeExample = envFileKeys('docker/bridge/bridge.env.example');
    expect([...variablesOf(BridgeConfig)].filter((v) => !bridgeExample.has(v))).toEqual([]);
  });

  it('nginx -t accepts docker/nginx.conf (upstream and certificate pointed at this host)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'molq-nginx-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          `${dir}/privkey.pem`,
          '-out',
          `${dir}/fullchain.pem`,
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
        ],
        { stdio: 'ignore' },
      );
      const conf = readFileSync(join(ROOT, 'docker/nginx.conf'), 'utf8');
      expect(conf).toMatch(/location \/admin\/queues/);
      writeFileSync(
        `${dir}/nginx.conf`,
        conf.replace('server master:3000', 'server 127.0.0.1:3000').replaceAll('/etc/nginx/tls/', `${dir}/`),
      );
      const out = execFileSync(
        'nginx',
        ['-t', '-c', `${dir}/nginx.conf`, '-g', `pid ${dir}/nginx.pid; error_log ${dir}/error.log;`],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      expect(out).toBe('');
    } catch (err) {
      throw new Error(`nginx -t: ${(err as { stderr?: string }).stderr ?? String(err)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the bridge has a systemd unit that runs the built bridge and stays stopped on exit 78', () => {
    const unit = readFileSync(join(ROOT, 'docker/bridge/molq-bridge.service'), 'utf8');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node \/opt\/molq\/dist\/workers\/bridge\/main\.js$/m);
    expect(unit).toMatch(/^EnvironmentFile=\/etc\/molq\/bridge\.env$/m);
    expect(unit).toMatch(/^RestartPreventExitStatus=78$/m);
    expect(existsSync(built('workers/bridge/main.js'))).toBe(true);
  });
});

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

describe('every molq compose service, run on this host with its env file', () => {
  const world = newWorld();
  const children: { name: string; proc: ChildProcess; output: () => string }[] = [];
  const shared = join(tmpdir(), `molq-deploy-${world.id}`);
  let port: number;

  /** What compose would give the container, with addresses pointed at this host and this test's schema, prefix and disks. */
  const hostEnv = (service: ComposeService, node: string): Record<string, string> => ({
    ...(service.environment ?? {}),
    DATABASE_URL: world.env.DATABASE_URL,
    DATABASE_SCHEMA: world.env.DATABASE_SCHEMA,
    REDIS_URL: world.env.REDIS_URL,
    REDIS_PREFIX: world.env.REDIS_PREFIX,
    // the secrets only where compose gives them (the master's .env.master.secrets)
    ...(service.environment?.JWT_SECRET
      ? { JWT_SECRET: world.env.JWT_SECRET, URL_SIGNING_SECRET: world.env.URL_SIGNING_SECRET }
      : {}),
    STORAGE_DIR: join(shared, 'objects'), // the volume the nodes share
    WORK_DIR: join(shared, `work-${node}`),
    PORT: String(port),
    HOST: '127.0.0.1',
    RECONCILE_INTERVAL_MS: '2000',
    MOLQ_HOME: ROOT,
    PATH: process.env.PATH ?? '/usr/bin:/bin',
  });

  const start = (name: string, service: ComposeService, node: string) => {
    const proc = spawn('sh', [join(ROOT, 'docker/entrypoint.sh'), ...(service.command ?? [])], {
      env: hostEnv(service, node),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (out += d));
    children.push({ name, proc, output: () => out });
    return proc;
  };

  beforeAll(async () => {
    port = await freePort();
    mkdirSync(shared, { recursive: true });
  });

  afterAll(async () => {
    await Promise.all(
      children.map(({ proc }) =>
        proc.exitCode !== null ? undefined : new Promise((r) => (proc.once('exit', r), proc.kill('SIGTERM'))),
      ),
    );
    rmSync(shared, { recursive: true, force: true });
    await tearDownWorld(world);
  });

  it('migrate exits 0, master answers /health, each pool consumes its queues, and an xtb job goes through all of them', async () => {
    const master = composeConfig('docker-compose.master.yml', '.env.master').services;
    const worker = composeConfig('docker-compose.worker.yml', '.env.worker').services;

    const migrate = start('migrate', master.migrate, 'master');
    const code = await new Promise((r) => migrate.once('exit', r));
    expect({ code, output: children[0].output().slice(-500) }).toEqual({ code: 0, output: expect.anything() });

    start('master', master.master, 'master');
    const api = request(`http://127.0.0.1:${port}`);
    await eventually(async () => (await api.get('/health')).status === 200, 30_000, 250).catch((e) => {
      throw new Error(`${e.message}\n${children.map((c) => `${c.name}: ${c.output().slice(-800)}`).join('\n')}`);
    });

    const pools: [string, ComposeService, string][] = [
      ...molqServices(master)
        .filter(([n]) => !['migrate', 'master'].includes(n))
        .map(([n, s]) => [`master/${n}`, s, 'master'] as [string, ComposeService, string]),
      ...molqServices(worker).map(([n, s]) => [`worker/${n}`, s, 'worker'] as [string, ComposeService, string]),
    ];
    for (const [name, service, node] of pools) start(name, service, node);

    const queues = Object.fromEntries(
      QUEUE_NAMES.map((q) => [
        q,
        new Queue(q, {
          connection: { host: '127.0.0.1', port: Number(new URL(world.env.REDIS_URL).port || 6379) },
          prefix: world.env.REDIS_PREFIX,
        }),
      ]),
    );
    try {
      const expected: Record<string, number> = {};
      for (const [, service] of pools) {
        const list = service.command![service.command!.indexOf('--queues') + 1].split(',');
        for (const q of list) expected[q] = (expected[q] ?? 0) + 1;
      }
      expect(Object.keys(expected).sort()).toEqual([...QUEUE_NAMES].sort()); // together the two nodes consume every queue
      await eventually(
        async () => {
          for (const [q, n] of Object.entries(expected)) if ((await queues[q].getWorkers()).length < n) return false;
          return true;
        },
        40_000,
        250,
      ).catch((e) => {
        throw new Error(`${e.message}\n${children.map((c) => `${c.name}: ${c.output().slice(-600)}`).join('\n')}`);
      });

      // REGISTRATION=approval in compose: a new account waits until an admin approves it with the CLI
      const registered = await api
        .post('/api/v1/auth/register')
        .send({ email: 'deploy@example.org', password: 'a long enough password' })
        .expect(201);
      expect(registered.body.status).toBe('pending');
      const waiting = await api
        .post('/api/v1/auth/login')
        .send({ email: 'deploy@example.org', password: 'a long enough password' })
        .expect(403);
      expect(waiting.body.message).toMatch(/approval/);
      const approve = start(
        'cli',
        { ...master.migrate, command: ['cli', 'users', 'approve', '--email', 'deploy@example.org'] },
        'master',
      );
      expect(await new Promise((r) => approve.once('exit', r))).toBe(0);
      const token = (
        await api
          .post('/api/v1/auth/login')
          .send({ email: 'deploy@example.org', password: 'a long enough password' })
          .expect(200)
      ).body.accessToken;
      const auth = `Bearer ${token}`;
      const id = (
        await api
          .post('/api/v1/jobs')
          .set('Authorization', auth)
          .send({ type: 'qc', engine: 'xtb', qc: { xyz: WATER, task: 'sp' } })
          .expect(202)
      ).body.id;
      await eventually(
        async () =>
          ['COMPLETED', 'FAILED'].includes(
            (await api.get(`/api/v1/jobs/${id}`).set('Authorization', auth)).body.status,
          ),
        60_000,
        250,
      );
      const job = (await api.get(`/api/v1/jobs/${id}`).set('Authorization', auth)).body;
      expect({ status: job.status, error: job.error }).toEqual({ status: 'COMPLETED', error: null });
      expect(job.artifacts.map((a: { name: string }) => a.name)).toContain('report.html');

      // the Grafana dashboard asks only for series this master's /metrics serves
      const metrics = (await api.get('/metrics').expect(200)).text;
      const dashboard = JSON.parse(readFileSync(join(ROOT, 'docker/grafana/molq-dashboard.json'), 'utf8')) as {
        panels: { targets: { expr: string }[] }[];
      };
      const series = dashboard.panels.flatMap((p) => p.targets.flatMap((t) => t.expr.match(/molq_[a-z0-9_]+/g) ?? []));
      expect(series.length).toBeGreaterThan(5);
      expect(series.filter((name) => !new RegExp(`^${name}[{ ]`, 'm').test(metrics))).toEqual([]);
    } finally {
      await Promise.all(Object.values(queues).map((q) => q.close()));
    }
  }, 170_000);
});
