import { IsString, MinLength } from 'class-validator';
import { CommonConfig } from './common.config';
import { EnvInt } from './env-decorators';

/** Environment of the master (HTTP API, reconciler). */
export class MasterConfig extends CommonConfig {
  @EnvInt(0, 65535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  /** HMAC secret for access tokens; at least 32 characters. */
  @IsString()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET!: string;

  /** Lifetime of an access token. */
  @EnvInt(60, 7 * 24 * 3600)
  JWT_TTL_SECONDS = 3600;

  /** Failed logins allowed per account, and per client address, in LOGIN_WINDOW_SECONDS. */
  @EnvInt(1, 10_000)
  LOGIN_MAX_PER_ACCOUNT = 10;

  @EnvInt(1, 100_000)
  LOGIN_MAX_PER_ADDRESS = 50;

  @EnvInt(1, 86_400)
  LOGIN_WINDOW_SECONDS = 900;

  /**
   * A bridge's lease on a claimed job lasts this long unless a heartbeat renews it: how long a
   * bridge may lose the master (or the master be down) and keep its jobs; a bridge that dies is
   * noticed after it. Past it the job is queued again and re-claimed by scheduler id (no second sbatch).
   */
  @EnvInt(1_000, 3_600_000)
  LEASE_MS = 300_000;

  /** How often expired leases are looked for (their jobs go back to the queue). */
  @EnvInt(500, 600_000)
  LEASE_CHECK_MS = 15_000;

  /** How long a claim long-polls before answering with nothing. */
  @EnvInt(0, 55_000)
  CLAIM_WAIT_MS = 25_000;

  /** How often the reconciler re-enqueues jobs missing from BullMQ. */
  @EnvInt(1000, 3_600_000)
  RECONCILE_INTERVAL_MS = 30_000;
}
