import {
  IsIn,
  IsOptional,
  IsString,
  Matches,
  Validate,
  ValidateIf,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { parseLimits } from '../limiter/limits';
import { EnvBool, EnvInt } from './env-decorators';

@ValidatorConstraint({ name: 'limitsSpec' })
class LimitsSpec implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && typeof parseLimits(value, 1) !== 'string';
  }
  defaultMessage(args: ValidationArguments): string {
    const parsed = typeof args.value === 'string' ? parseLimits(args.value, 1) : 'must be a string';
    return typeof parsed === 'string' ? parsed : 'invalid';
  }
}

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

  /** With DATABASE_SSL: a CA bundle (file) for a managed server's certificate; the system CAs otherwise. */
  @IsOptional()
  @IsString()
  DATABASE_SSL_CA?: string;

  /** redis://[:password@]host:port[/db] */
  @Matches(/^rediss?:\/\/\S+$/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL!: string;

  /**
   * Redis as a Sentinel group: "host:port,host:port" of the sentinels. REDIS_URL then gives only
   * the password, database and TLS (its host is ignored); REDIS_SENTINEL_NAME names the group.
   */
  @IsOptional()
  @Matches(/^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/, {
    message: 'must be host:port[,host:port…] of the sentinels',
  })
  REDIS_SENTINELS?: string;

  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be the Sentinel master group name' })
  REDIS_SENTINEL_NAME = 'mymaster';

  /** Prefix of every BullMQ and limiter key (tests use one prefix per run). */
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 characters of A-Z a-z 0-9 _ . -' })
  REDIS_PREFIX = 'molq';

  @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  /** Shared cap on calls to external services, per second, across every worker process. */
  @EnvInt(1, 1_000_000)
  MAX_API_RPS = 200;

  /** More limiter keys: "oss=100/1s,webhooks=20/500ms" ("external" is MAX_API_RPS/1s). */
  @IsOptional()
  @Validate(LimitsSpec)
  LIMITER_LIMITS?: string;

  /** Object storage driver: files under STORAGE_DIR (the embedded default), or Aliyun OSS. */
  @IsIn(['local', 'oss'], { message: 'must be local or oss' })
  STORAGE_DRIVER: 'local' | 'oss' = 'local';

  /** OSS endpoint, e.g. https://oss-cn-hangzhou.aliyuncs.com (STORAGE_DRIVER=oss). */
  @ValidateIf((c: CommonConfig) => c.STORAGE_DRIVER === 'oss')
  @Matches(/^https?:\/\/\S+$/, { message: 'must be an http(s) URL when STORAGE_DRIVER=oss' })
  OSS_ENDPOINT?: string;

  @ValidateIf((c: CommonConfig) => c.STORAGE_DRIVER === 'oss')
  @Matches(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, { message: 'must be an OSS bucket name when STORAGE_DRIVER=oss' })
  OSS_BUCKET?: string;

  @ValidateIf((c: CommonConfig) => c.STORAGE_DRIVER === 'oss')
  @IsString({ message: 'is required when STORAGE_DRIVER=oss' })
  OSS_ACCESS_KEY_ID?: string;

  @ValidateIf((c: CommonConfig) => c.STORAGE_DRIVER === 'oss')
  @IsString({ message: 'is required when STORAGE_DRIVER=oss' })
  OSS_ACCESS_KEY_SECRET?: string;

  @IsOptional()
  @IsString()
  OSS_REGION?: string;

  /** Per user: jobs running at once (DISPATCHED, RUNNING); more wait in their queue. Pools and the pull API enforce it. */
  @EnvInt(1, 1_000_000)
  QUOTA_RUNNING_JOBS = 200;

  /** The longest walltime an md job may ask for, minutes (the master refuses more; pools cap jobs already queued). */
  @EnvInt(1, 7 * 24 * 60)
  WALLTIME_MAX_MINUTES_MD = 7 * 24 * 60;

  /** The same for qc jobs. */
  @EnvInt(1, 7 * 24 * 60)
  WALLTIME_MAX_MINUTES_QC = 7 * 24 * 60;

  /** Root of the local storage driver; shared by the master and the pools on one node. */
  @IsString()
  STORAGE_DIR = './data/objects';
}
