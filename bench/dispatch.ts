/**
 * bench/dispatch: how fast a submission reaches sbatch through the pull API and the bridge,
 * and how many SSH exec calls one poll cycle costs with 1, 10 and 100 active Slurm jobs.
 *   npm run build && node dist/bench/dispatch.js [--jobs 50]
 * Needs scripts/ensure-slurm.sh (real Slurm + sshd on 127.0.0.1:2222) and local PostgreSQL/Redis.
 */
import { withoutMasterSecrets } from '../src/config/master-secrets';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { loadConfig } from '../src/config/load-config';
import { SlurmDriver } from '../src/slurm/slurm-driver';
import { SshConnection } from '../src/slurm/ssh-connection';
import { WorkerTokensService } from '../src/worker-tokens/worker-tokens.service';
import { BridgeConfig } from '../workers/bridge/bridge.config';
import { createBridge } from '../workers/bridge/create-bridge';
import { benchWorld, percentile, runBench, stopAll } from './support/bench-world';

const { values } = parseArgs({ options: { jobs: { type: 'string', default: '50' } } });
const JOBS = Number(values.jobs);
const STATE = '/var/lib/molq-test';
const agent = new Agent({ keepAlive: true });
const WATER = '3\nwater\nO 0 0 0.117\nH 0 0.757 -0.467\nH 0 -0.757 -0.467\n';

function call(port: number, method: string, path: string, body?: unknown, auth?: string): Promise<any> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(text ? JSON.parse(text) : null));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

async function main(): Promise<void> {
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  const world = await benchWorld({ PORT: String(port), CLAIM_WAIT_MS: '25000' });
  const env = { ...process.env, ...world.env };
  const children = [
    spawn(process.execPath, [join(__dirname, '..', 'src/main.js')], { env, stdio: 'ignore' }),
    spawn(process.execPath, [join(__dirname, '..', 'workers/main.js'), '--queues', 'ingestion'], {
      env: withoutMasterSecrets(env),
      stdio: 'ignore',
    }),
  ];
  const pg = new Client({
    connectionString: world.env.DATABASE_URL,
    options: `-c search_path=${world.env.DATABASE_SCHEMA}`,
  });
  await pg.connect();
  const ssh = new SshConnection({
    host: '127.0.0.1',
    port: 2222,
    username: 'molqbridge',
    privateKey: readFileSync(`${STATE}/id_ed25519`),
    hostFingerprint: readFileSync(`${STATE}/host_fingerprint`, 'utf8').trim(),
  });
  let bridge: ReturnType<typeof createBridge> | undefined;
  try {
    for (let i = 0; i < 100 && !(await call(port, 'GET', '/health').catch(() => null)); i++)
      await new Promise((r) => setTimeout(r, 200));
    await call(port, 'POST', '/api/v1/auth/register', { email: 'bench@example.org', password: 'benchmark password' });
    const auth = `Bearer ${(await call(port, 'POST', '/api/v1/auth/login', { email: 'bench@example.org', password: 'benchmark password' })).accessToken}`;
    const { DataSource } = await import('typeorm');
    const { dataSourceOptions } = await import('../src/database/data-source-options');
    const ds = await new DataSource(dataSourceOptions(world.config)).initialize();
    const { token } = await new WorkerTokensService(ds).create('bench-bridge', ['md', 'qc']);
    await ds.destroy();
    bridge = createBridge(
      loadConfig(BridgeConfig, {
        BRIDGE_MASTER_URL: `http://127.0.0.1:${port}`,
        BRIDGE_TOKEN: token,
        BRIDGE_HEARTBEAT_MS: '1000',
        BRIDGE_STATE_FILE: join(tmpdir(), `molq-bench-bridge-${randomBytes(3).toString('hex')}.json`),
        SSH_HOST: '127.0.0.1',
        SSH_PORT: '2222',
        SSH_USER: 'molqbridge',
        SSH_KEY_FILE: `${STATE}/id_ed25519`,
        SSH_HOST_FINGERPRINT: readFileSync(`${STATE}/host_fingerprint`, 'utf8').trim(),
        REMOTE_WORK_DIR: `/home/molqbridge/bench-${randomBytes(3).toString('hex')}`,
      }),
      () => undefined,
    );
    await bridge.bridge.start();

    // submission → sbatch: one job at a time, so each latency is the path's, not the queue's
    const latencies: number[] = [];
    for (let i = 0; i < JOBS; i++) {
      const t = performance.now();
      const { id } = await call(
        port,
        'POST',
        '/api/v1/jobs',
        { type: 'qc', engine: 'xtb', reuse: false, qc: { xyz: WATER, task: 'sp' } }, // every one runs (no reuse)
        auth,
      );
      for (;;) {
        const { rows } = await pg.query('SELECT scheduler_id FROM jobs WHERE id = $1', [id]);
        if (rows[0]?.scheduler_id) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      latencies.push(performance.now() - t);
    }
    latencies.sort((a, b) => a - b);

    // poll cost: one squeue per cycle whatever the number of active jobs
    const driver = new SlurmDriver(ssh, {
      workRoot: '/home/molqbridge/bench-sleep',
      name: 'bench',
      programs: { lmp: 'lmp', xtb: 'xtb', g16: 'g16' },
      setup: {},
    });
    const costs: [number, number][] = [];
    const ids: string[] = [];
    for (const n of [1, 10, 100]) {
      while (ids.length < n) {
        const r = await ssh.exec(`sbatch --parsable --job-name=molq-bench-sleep --output=/dev/null --wrap 'sleep 120'`);
        ids.push(r.stdout.trim());
      }
      const before = ssh.execCount;
      const states = await driver.poll(ids);
      costs.push([n, ssh.execCount - before]);
      if (states.size !== n) throw new Error(`poll saw ${states.size} of ${n} jobs`);
    }
    await ssh.exec(`scancel --name=molq-bench-sleep`);

    console.log(
      `\nbench/dispatch  ${JOBS} jobs, one at a time, master + ingestion pool + bridge (heartbeat 1 s), real Slurm over SSH`,
    );
    console.log('| submission → sbatch (scheduler id recorded) | p50 | p99 | max |\n|---|---:|---:|---:|');
    console.log(
      `| through the pull API and the bridge | ${percentile(latencies, 50).toFixed(0)} ms | ${percentile(latencies, 99).toFixed(0)} ms | ${latencies[latencies.length - 1].toFixed(0)} ms |`,
    );
    console.log(`| a 30 s polling loop (expected mean, for comparison) | 15000 ms | 29700 ms | 30000 ms |`);
    console.log('| active Slurm jobs | SSH exec calls per poll cycle |\n|---:|---:|');
    for (const [n, c] of costs) console.log(`| ${n} | ${c} |`);
  } finally {
    await bridge?.bridge.stop();
    ssh.close();
    await stopAll(children);
    await pg.end();
    agent.destroy();
    await world.cleanup();
  }
}

runBench(main);
