import { IsOptional, IsString, Matches } from 'class-validator';
import { EnvInt } from '../../src/config/env-decorators';
import { SlurmClusterConfig } from '../../src/slurm/slurm-cluster.config';

/** The bridge's one configuration (environment, e.g. from a systemd EnvironmentFile): the master, then the cluster. */
export class BridgeConfig extends SlurmClusterConfig {
  /** https://molq.example.org (plain http only for a loopback master). */
  @Matches(/^https?:\/\/\S+$/, { message: 'must be the master URL, https://…' })
  BRIDGE_MASTER_URL!: string;

  @Matches(/^mqw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/, { message: 'must be a worker token (npm run cli -- tokens create)' })
  BRIDGE_TOKEN!: string;

  /** Extra CA certificate(s) for the master's TLS; verification is always on. */
  @IsOptional()
  @IsString()
  BRIDGE_CA_FILE?: string;

  @Matches(/^(md|qc)(,(md|qc))*$/, { message: 'must be md, qc or md,qc' })
  BRIDGE_QUEUES = 'md,qc';

  @EnvInt(1, 10_000)
  BRIDGE_MAX_JOBS = 50;

  @EnvInt(500, 600_000)
  BRIDGE_HEARTBEAT_MS = 15_000;

  @EnvInt(0, 55_000)
  BRIDGE_CLAIM_WAIT_MS = 25_000;

  @IsString()
  BRIDGE_STATE_FILE = './bridge-state.json';
}
