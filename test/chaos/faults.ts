import type { Pool } from 'pg';
import { ChaosPlatform, PROCESS } from './chaos-platform';

/** What a phase submits: small local-sized jobs, or LAMMPS runs long enough to be running on Slurm when the fault hits. */
export type Workload = 'quick' | 'slurm';

export interface Fault {
  name: string;
  workload: Workload;
  /** Whether a process running an engine (or Redis holding its lock) is killed: a second launch is then allowed. */
  kills: boolean;
  /** Set-up before the phase's jobs are submitted. */
  prepare?: (p: ChaosPlatform) => Promise<void>;
  /** The moment to strike: the fault's phase polls this until true. */
  ready: (db: Pool, tag: string) => Promise<boolean>;
  /** Injects the fault and resolves once it is healed (process restarted, service back). */
  inject: (p: ChaosPlatform) => Promise<void>;
}

const count = async (db: Pool, tag: string, where: string): Promise<number> =>
  (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE name LIKE $1 AND ${where}`, [`${tag} %`]))
    .rows[0].n;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const atLeast = (n: number, where: string) => async (db: Pool, tag: string) => (await count(db, tag, where)) >= n;

/** Kills a process with SIGKILL and waits until its supervisor has it running again. */
const killHard = (name: string) => async (p: ChaosPlatform) => {
  const pid = p.supervisor.pid(name);
  p.supervisor.signal(name, 'SIGKILL');
  await p.supervisor.restarted(name, pid);
};

/** SIGKILL of Redis while jobs are spread over the stages, restarted at once (empty, or reading its AOF when `prepare` turned it on). */
const redisKilled = (name: string, prepare?: Fault['prepare']): Fault => ({
  name,
  workload: 'quick',
  kills: true,
  prepare,
  ready: atLeast(3, `status IN ('RUNNING', 'UPLOADING', 'REPORTING', 'COMPLETED')`),
  inject: async (p) => {
    await p.redis.stop();
    await p.redis.start();
  },
});

const bridgeRunning = atLeast(2, `status = 'RUNNING' AND scheduler_id LIKE 'slurm:%'`);

export const FAULTS: Fault[] = [
  { name: 'none (baseline)', workload: 'quick', kills: false, ready: async () => true, inject: async () => undefined },
  {
    name: 'kill -9 md/qc pool mid-run',
    workload: 'quick',
    kills: true,
    ready: atLeast(2, `status = 'RUNNING' AND scheduler_id LIKE 'local:%'`),
    inject: killHard(PROCESS.run),
  },
  {
    name: 'kill -9 ingestion+reports pool',
    workload: 'quick',
    kills: true,
    ready: atLeast(3, `status IN ('QUEUED', 'REPORTING')`),
    inject: killHard(PROCESS.ingestionReports),
  },
  {
    name: 'kill -9 upload pool',
    workload: 'quick',
    kills: true,
    ready: atLeast(2, `status = 'UPLOADING'`),
    inject: killHard(PROCESS.upload),
  },
  {
    name: 'kill -9 master mid-submission',
    workload: 'quick',
    kills: true,
    ready: atLeast(3, `true`),
    inject: async (p) => {
      await killHard(PROCESS.master)(p);
      await p.waitHealthy();
    },
  },
  redisKilled('Redis killed, restarted empty'),
  redisKilled('Redis killed, restarted from AOF', (p) => p.redis.appendOnly()),
  {
    name: 'PostgreSQL stopped 30 s',
    workload: 'quick',
    kills: false,
    ready: atLeast(2, `status IN ('RUNNING', 'UPLOADING')`),
    inject: async (p) => {
      p.pg.stop();
      await sleep(30_000);
      await p.pg.start();
    },
  },
  {
    name: 'kill -9 bridge (1st)',
    workload: 'slurm',
    kills: true,
    ready: bridgeRunning,
    inject: killHard(PROCESS.bridge),
  },
  {
    name: 'kill -9 bridge (2nd)',
    workload: 'slurm',
    kills: true,
    ready: bridgeRunning,
    inject: killHard(PROCESS.bridge),
  },
  {
    name: 'bridge cut from master 60 s',
    workload: 'slurm',
    kills: false,
    ready: bridgeRunning,
    inject: async (p) => {
      await p.bridgeLink.cut();
      await sleep(60_000);
      await p.bridgeLink.restore();
    },
  },
  {
    name: 'sshd restarted mid-run',
    workload: 'slurm',
    kills: false,
    ready: bridgeRunning,
    inject: async (p) => {
      p.sshd.stop();
      await sleep(2_000);
      p.sshd.start();
    },
  },
];
