import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { StrongSecret } from './strong-secret';
import { CommonConfig } from './common.config';
import { EnvInt } from './env-decorators';

/** Environment of the master (HTTP API, reconciler). */
export class MasterConfig extends CommonConfig {
  @EnvInt(0, 65535)
  PORT = 3000;

  @IsString()
  HOST = '127.0.0.1';

  /** HMAC secret for access tokens: random, at least 32 characters, never a placeholder. Pools never get it. */
  @StrongSecret()
  JWT_SECRET!: string;

  /** HMAC secret for signed file URLs: random, its own (a leaked JWT_SECRET does not forge downloads). */
  @StrongSecret()
  URL_SIGNING_SECRET!: string;

  /**
   * Who may set X-Forwarded-For (the client address used by the login throttle and the logs): a
   * comma-separated list of addresses, CIDR ranges or loopback/linklocal/uniquelocal; `none` for nobody.
   * Only the reverse proxy in front of the master, never every private range.
   */
  @Matches(
    /^(none|((loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?)(,(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?))*))$/,
    {
      message: 'must be none, or addresses / CIDR ranges / loopback, comma-separated',
    },
  )
  TRUSTED_PROXIES = 'loopback';

  /**
   * Bearer token for /metrics and /docs from anywhere (Prometheus: bearer_token). Unset: those
   * answer only to callers on this host (loopback), never through the proxy.
   */
  @IsOptional()
  @StrongSecret()
  METRICS_TOKEN?: string;

  /** Per user: jobs submitted and not yet running (PENDING, QUEUED). */
  @EnvInt(1, 10_000_000)
  QUOTA_QUEUED_JOBS = 10_000;

  /** Per user: core-hours (tasks × walltime) asked for per UTC day. */
  @EnvInt(1, 100_000_000)
  QUOTA_CORE_HOURS_PER_DAY = 20_000;

  /** Per user: bulk batches per UTC hour. */
  @EnvInt(1, 1_000_000)
  QUOTA_BATCHES_PER_HOUR = 120;

  /** Per user: live event streams open at once (each closes when its token expires). */
  @EnvInt(1, 1_000)
  QUOTA_EVENT_STREAMS = 8;

  /** Who may sign up: `open`, `approval` (an admin approves each account), `closed` (admins create accounts). */
  @IsIn(['open', 'approval', 'closed'], { message: 'must be open, approval or closed' })
  REGISTRATION: 'open' | 'approval' | 'closed' = 'open';

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

  /**
   * A job whose engine no live pool or bridge of its queue runs (Gaussian on a server without g16):
   * `refuse` answers 409 naming the engine; `wait` accepts it, its timeline saying it waits for an engine.
   */
  @IsIn(['refuse', 'wait'], { message: 'must be refuse or wait' })
  ENGINE_UNAVAILABLE: 'refuse' | 'wait' = 'refuse';

  /** How often the reconciler re-enqueues jobs missing from BullMQ. */
  @EnvInt(1000, 3_600_000)
  RECONCILE_INTERVAL_MS = 30_000;
}
