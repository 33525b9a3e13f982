import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { Supervisor } from '../../scripts/supervisor';
import { withoutMasterSecrets } from '../../src/config/master-secrets';
import { OwnPostgres } from '../support/own-postgres';
import { OwnRedis, freePort } from '../support/own-redis';
import { built } from '../support/processes';
import { TcpProxy } from '../support/tcp-proxy';
import { clusterEnv, ownSshd } from '../support/test-cluster';

/** The processes a fault may kill, by the names the supervisor knows them under. */
export const PROCESS = {
  master: 'master',
  ingestionReports: 'pool[ingestion,reports]',
  upload: 'pool[upload]',
  run: 'pool[md,qc]',
  bridge: 'bridge',
} as const;

/**
 * A whole molq on loopback, on services of its own: a PostgreSQL cluster made by initdb, a Redis
 * with an AOF directory, an sshd in front of the real Slurm, the master, three pools and a
 * campus bridge (reaching the master through a proxy that can be cut), every process under a
 * supervisor that restarts what dies, as the deployment's does. Nothing here touches the shared
 * PostgreSQL or Redis.
 */
export class ChaosPlatform {
  readonly root = mkdtempSync(join(tmpdir(), 'molq-chaos-'));
  readonly supervisor = new Supervisor((line) => this.note(line));
  pg!: OwnPostgres;
  redis!: OwnRedis;
  sshd!: ReturnType<typeof ownSshd>;
  bridgeLink!: TcpProxy;
  db!: Pool;
  masterUrl = '';
  readonly storageDir = join(this.root, 'objects');
  readonly workDir = join(this.root, 'work');
  private env: Record<string, string> = {};
  private readonly notes: string[] = [];
  private readonly logFds: number[] = [];

  async start(): Promise<void> {
    chmodSync(this.root, 0o755); // the postgres account runs the cluster inside it
    mkdirSync(join(this.root, 'logs'));
    this.pg = new OwnPostgres(await freePort(), join(this.root, 'pg'));
    await this.pg.init();
    mkdirSync(join(this.root, 'redis'));
    this.redis = new OwnRedis(await freePort(), join(this.root, 'redis'));
    await this.redis.start();
    const sshPort = await freePort();
    this.sshd = ownSshd(sshPort);
    this.sshd.start();
    const masterPort = await freePort();
    this.masterUrl = `http://127.0.0.1:${masterPort}`;
    this.bridgeLink = new TcpProxy('127.0.0.1', masterPort);
    await this.bridgeLink.start();

    this.env = {
      DATABASE_URL: this.pg.url,
      DATABASE_SCHEMA: 'public',
      REDIS_URL: this.redis.url,
      REDIS_PREFIX: 'molq',
      LOG_LEVEL: 'info',
      STORAGE_DIR: this.storageDir,
      WORK_DIR: this.workDir,
      JWT_SECRET: randomBytes(32).toString('hex'),
      URL_SIGNING_SECRET: randomBytes(32).toString('hex'),
    };
    this.runOnce('src/database/migrate.main.js', []);
    const token = this.runOnce('src/cli/main.js', ['tokens', 'create', '--name', 'chaos-campus', '--queues', 'md,qc'])
      .trim()
      .split('\n')
      .pop()!;

    const master = {
      ...this.env,
      PORT: String(masterPort),
      HOST: '127.0.0.1',
      REGISTRATION: 'open',
      RECONCILE_INTERVAL_MS: '5000',
      // longer than the 60 s cut: a bridge that is only unreachable keeps its jobs
      LEASE_MS: '120000',
      LEASE_CHECK_MS: '5000',
      CLAIM_WAIT_MS: '2000',
    };
    const worker = { ...withoutMasterSecrets(this.env), WORKER_SHUTDOWN_GRACE_MS: '10000' };
    this.launch(PROCESS.master, 'src/main.js', [], master);
    this.launch(PROCESS.ingestionReports, 'workers/main.js', ['--queues', 'ingestion,reports'], worker);
    this.launch(PROCESS.upload, 'workers/main.js', ['--queues', 'upload'], worker);
    this.launch(PROCESS.run, 'workers/main.js', ['--queues', 'md,qc', '--concurrency', '2'], worker);
    this.launch(PROCESS.bridge, 'workers/bridge/main.js', [], {
      LOG_LEVEL: 'info',
      BRIDGE_MASTER_URL: `http://127.0.0.1:${this.bridgeLink.port}`,
      BRIDGE_TOKEN: token,
      BRIDGE_HEARTBEAT_MS: '1000',
      BRIDGE_CLAIM_WAIT_MS: '2000',
      BRIDGE_MAX_JOBS: '6',
      BRIDGE_STATE_FILE: join(this.root, 'bridge-state.json'),
      SLURM_POLL_MS: '1000',
      ...clusterEnv(sshPort),
    });
    this.db = new Pool({ connectionString: this.pg.url, max: 4, connectionTimeoutMillis: 5_000 });
    this.db.on('error', () => undefined); // the suite stops PostgreSQL on purpose
    await this.waitHealthy();
  }

  /** Stops everything; the directory (logs, objects, state) stays when asked to, or with CHAOS_KEEP set. */
  async stop(keep = false): Promise<void> {
    await this.supervisor.stop('SIGKILL');
    for (const fd of this.logFds.splice(0)) closeSync(fd);
    await this.db?.end().catch(() => undefined);
    this.sshd?.stop();
    await this.bridgeLink?.cut();
    await this.redis?.stop();
    this.pg?.destroy();
    if (keep || process.env.CHAOS_KEEP)
      process.stdout.write(`chaos: kept ${this.root} (logs in ${join(this.root, 'logs')})\n`);
    else rmSync(this.root, { recursive: true, force: true });
  }

  log(name: string): string {
    try {
      return readFileSync(this.logPath(name), 'utf8');
    } catch {
      return '';
    }
  }

  /** Lines the supervisor printed (restarts), for the report. */
  supervisorNotes(): string[] {
    return [...this.notes];
  }

  async waitHealthy(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const res = await fetch(`${this.masterUrl}/health`, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new Error(`master not healthy within ${timeoutMs} ms:\n${this.log(PROCESS.master).slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private launch(name: string, entry: string, args: string[], env: Record<string, string>): void {
    const fd = openSync(this.logPath(name), 'a'); // kept open: every restart writes to it
    this.logFds.push(fd);
    this.supervisor.start({
      name,
      args: [built(entry), ...args],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', fd, fd],
    });
  }

  private runOnce(entry: string, args: string[]): string {
    return execFileSync(process.execPath, [built(entry), ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString();
  }

  private logPath(name: string): string {
    return join(this.root, 'logs', `${name.replace(/[^\w.-]+/g, '_')}.log`);
  }

  private note(line: string): void {
    this.notes.push(`${new Date().toISOString()} ${line}`);
  }
}
