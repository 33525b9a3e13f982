import { IsIn, IsString, Matches } from 'class-validator';
import { EnvBool } from './env-decorators';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Settings every molq process (master or worker pool) needs. */
export class CommonConfig {
  /** postgres://user:pass@host:port/db */
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// URL' })
  DATABASE_URL!: string;

  /** Schema holding molq's tables (tests use one schema per run). */
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'must be a lower-case SQL identifier' })
  DATABASE_SCHEMA = 'public';

  /** TLS to PostgreSQL (managed servers). */
  @EnvBool()
  DATABASE_SSL = false;

  /** redis://[:password@]host:port[/db] */
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL!: string;

  /** Prefix of every BullMQ and limiter key (tests use one prefix per run). */
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 characters of A-Z a-z 0-9 _ . -' })
  REDIS_PREFIX = 'molq';

  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  /** Object storage driver: files under STORAGE_DIR (the embedded default). */
  @IsIn(['local'], { message: 'must be local' })
  STORAGE_DRIVER: 'local' = 'local';

  /** Root of the local storage driver; shared by the master and the pools on one node. */
  @IsString()
  STORAGE_DIR = './data/objects';
}
