import { readFileSync } from 'node:fs';
import type { SlurmClusterConfig } from './slurm-cluster.config';
import { SlurmDriver } from './slurm-driver';
import { SshConnection } from './ssh-connection';

const lines = (value?: string) =>
  value
    ? value
        .split(';;')
        .map((l) => l.trim())
        .filter(Boolean)
    : [];

/** The SSH connection (not yet opened) and the Slurm driver over it, from validated cluster settings. */
export function connectSlurm(config: SlurmClusterConfig): { ssh: SshConnection; slurm: SlurmDriver } {
  const ssh = new SshConnection({
    host: config.SSH_HOST,
    port: config.SSH_PORT,
    username: config.SSH_USER,
    privateKey: readFileSync(config.SSH_KEY_FILE),
    hostFingerprint: config.SSH_HOST_FINGERPRINT,
  });
  const slurm = new SlurmDriver(ssh, {
    workRoot: config.REMOTE_WORK_DIR,
    name: config.CLUSTER_NAME ?? config.SSH_HOST,
    partition: config.SLURM_PARTITION,
    account: config.SLURM_ACCOUNT,
    programs: { lmp: config.LMP_COMMAND, xtb: config.XTB_COMMAND, g16: config.G16_COMMAND },
    setup: { lmp: lines(config.LMP_MODULES), xtb: lines(config.XTB_MODULES), g16: lines(config.G16_MODULES) },
    sandbox: {
      kind: config.CLUSTER_SANDBOX,
      bin: config.CLUSTER_SANDBOX_BIN,
      image: config.CLUSTER_SANDBOX_IMAGE,
      readOnly: config.CLUSTER_SANDBOX_PATHS ? config.CLUSTER_SANDBOX_PATHS.split(',') : [],
    },
  });
  return { ssh, slurm };
}
