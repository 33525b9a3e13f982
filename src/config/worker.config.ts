import { IsOptional, Matches } from 'class-validator';
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

  /** How long SIGTERM waits for running jobs before handing them back to their queue. */
  @EnvInt(0, 3_600_000)
  WORKER_SHUTDOWN_GRACE_MS = 25_000;
}
