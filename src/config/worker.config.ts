import { IsOptional, IsString, Matches } from 'class-validator';
import { CommonConfig } from './common.config';
import { EnvInt } from './env-decorators';

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

  /** Where local runs get their working directories (one per job, removed afterwards). */
  @IsString()
  WORK_DIR = './data/work';

  /** Engine binaries for the local executor: a name looked up on PATH, or a path. */
  @IsString()
  LMP_BIN = 'lmp';

  @IsString()
  XTB_BIN = 'xtb';

  @IsString()
  G16_BIN = 'g16';

  /** How long SIGTERM waits for running jobs before handing them back to their queue. */
  @EnvInt(0, 3_600_000)
  WORKER_SHUTDOWN_GRACE_MS = 25_000;
}
