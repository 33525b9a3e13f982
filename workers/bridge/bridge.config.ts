import { IsOptional, IsString, Matches } from 'class-validator';
import { EnvInt } from '../../src/config/env-decorators';

/** The bridge's one configuration (environment, e.g. from a systemd EnvironmentFile). */
export class BridgeConfig {
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

  @IsString()
  SSH_HOST!: string;

  @EnvInt(1, 65_535)
  SSH_PORT = 22;

  @Matches(/^[a-z_][a-z0-9_.-]{0,31}$/, { message: 'must be a login name' })
  SSH_USER!: string;

  @IsString()
  SSH_KEY_FILE!: string;

  @Matches(/^SHA256:[A-Za-z0-9+/]{43}$/, { message: 'must be the host key fingerprint as ssh-keygen -lf prints it (SHA256:…)' })
  SSH_HOST_FINGERPRINT!: string;

  /** Absolute directory on the cluster for job working directories. */
  @Matches(/^\/\S*$/, { message: 'must be an absolute path' })
  REMOTE_WORK_DIR!: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_.,:+-]{1,64}$/, { message: 'must be a Slurm partition name' })
  SLURM_PARTITION?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_.,:+-]{1,64}$/, { message: 'must be a Slurm account name' })
  SLURM_ACCOUNT?: string;

  @IsString()
  LMP_COMMAND = 'lmp';

  @IsString()
  XTB_COMMAND = 'xtb';

  @IsString()
  G16_COMMAND = 'g16';

  /** Lines run before the engine, separated by ";;", e.g. "module load lammps/2023". */
  @IsOptional()
  @IsString()
  LMP_MODULES?: string;

  @IsOptional()
  @IsString()
  XTB_MODULES?: string;

  @IsOptional()
  @IsString()
  G16_MODULES?: string;
}
