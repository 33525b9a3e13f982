import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { SlurmClusterConfig } from '../slurm/slurm-cluster.config';
import { CommonConfig } from './common.config';
import { EnvInt } from './env-decorators';
import { InvalidConfigError, loadConfig } from './load-config';

/** Environment of a worker pool process; --queues/--concurrency flags override the first two. */
export class WorkerConfig extends CommonConfig {
  /** Comma-separated queue names this pool consumes, e.g. "ingestion,reports". */
  @IsOptional()
  @Matches(/^[a-z]+(,[a-z]+)*$/, { message: 'must be a comma-separated list of queue names' })
  WORKER_QUEUES?: string;

  /** Overrides every consumed queue's default concurrency. */
  @IsOptional()
  @EnvInt(1, 1000)
  WORKER_CONCURRENCY?: number;

  /** Where md/qc jobs run: `local` (engines on this node) or `slurm` (a cluster over SSH, settings below). */
  @IsIn(['local', 'slurm'], { message: 'must be local or slurm' })
  EXECUTOR: 'local' | 'slurm' = 'local';

  /** EXECUTOR=slurm: how often active jobs are polled (one squeue for all of them); bounded below for slurmctld's sake. */
  @EnvInt(500, 600_000)
  SLURM_POLL_MS = 5_000;

  /** EXECUTOR=slurm: the cluster (SSH_HOST, SSH_USER, …), validated with the rest at start-up. */
  slurm?: SlurmClusterConfig;

  /** Where runs get their working directories (one per job, removed afterwards). */
  @IsString()
  WORK_DIR = './data/work';

  /** Engine binaries for the local executor: a name looked up on PATH, or a path. */
  @IsString()
  LMP_BIN = 'lmp';

  @IsString()
  XTB_BIN = 'xtb';

  @IsString()
  G16_BIN = 'g16';

  /**
   * How local engine runs are confined: `bwrap` (bubblewrap: own namespaces, read-only system, the
   * work dir as the only writable path, no network) or `none` (engines run as the pool's user;
   * uploaded scripts are then refused). A configured sandbox that does not work stops the pool (78).
   */
  @IsIn(['bwrap', 'none'], { message: 'must be bwrap or none' })
  SANDBOX: 'bwrap' | 'none' = 'bwrap';

  /** bubblewrap's binary (a name on PATH or a path). */
  @IsString()
  SANDBOX_BWRAP = 'bwrap';

  /** When the pool runs as root: the unprivileged account engines run as (made by scripts/ensure-engines.sh). */
  @Matches(/^[a-z_][a-z0-9_-]{0,31}$/, { message: 'must be a login name' })
  SANDBOX_USER = 'molq-sandbox';

  /** Ceiling of one engine run's address space, MiB; each run gets 2 × its memoryMb + 1 GiB per task (≥ 4 GiB) up to this. */
  @EnvInt(256, 4_194_304)
  SANDBOX_ADDRESS_SPACE_MB = 16_384;

  /** Processes and threads the sandbox account may have at once (per node). */
  @EnvInt(8, 1_000_000)
  SANDBOX_MAX_PROCESSES = 512;

  /** The largest file one run may write, MiB. */
  @EnvInt(1, 4_194_304)
  SANDBOX_MAX_FILE_MB = 8_192;

  /**
   * A memory cgroup per local run (resources.memoryMb, counting every process and its /tmp):
   * `auto` uses one when the host gives the pool (root) a writable cgroup v2 or v1 memory
   * controller and warns otherwise; `required` stops the pool (78) without; `off` never.
   */
  @IsIn(['auto', 'required', 'off'], { message: 'must be auto, required or off' })
  SANDBOX_CGROUP: 'auto' | 'required' | 'off' = 'auto';

  /**
   * The most of one run pool's slots (its concurrency) one user's jobs may hold at once; unset:
   * all but one (concurrency − 1, at least 1), so a user's long jobs always leave a slot to others.
   */
  @IsOptional()
  @EnvInt(1, 1000)
  RUN_SLOTS_PER_USER?: number;

  /** Output files one run may keep (more: the job fails, naming the limit). */
  @EnvInt(1, 1_000_000)
  SANDBOX_MAX_OUTPUT_FILES = 500;

  /** Bytes one run may keep, MiB: its outputs' sizes, and its work dir's allocated blocks while it runs. */
  @EnvInt(1, 4_194_304)
  SANDBOX_MAX_OUTPUT_MB = 8_192;

  /** How long SIGTERM waits for running jobs before handing them back to their queue. */
  @EnvInt(0, 3_600_000)
  WORKER_SHUTDOWN_GRACE_MS = 25_000;
}

/** A pool's configuration: WorkerConfig, plus the cluster's settings when EXECUTOR=slurm; every problem reported at once. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const problems: string[] = [];
  const attempt = <T extends object>(schema: new () => T): T | undefined => {
    try {
      return loadConfig(schema, env);
    } catch (err) {
      if (!(err instanceof InvalidConfigError)) throw err;
      problems.push(...err.problems);
      return undefined;
    }
  };
  const config = attempt(WorkerConfig);
  const slurm = env.EXECUTOR === 'slurm' ? attempt(SlurmClusterConfig) : undefined;
  if (problems.length > 0 || !config) throw new InvalidConfigError(problems);
  config.slurm = slurm;
  return config;
}
