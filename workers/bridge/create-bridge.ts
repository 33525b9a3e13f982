import { readFileSync } from 'node:fs';
import { SlurmDriver } from '../../src/slurm/slurm-driver';
import { SshConnection } from '../../src/slurm/ssh-connection';
import { Bridge } from './bridge';
import type { BridgeConfig } from './bridge.config';
import { MasterClient } from './master-client';

const lines = (value?: string) => (value ? value.split(';;').map((l) => l.trim()).filter(Boolean) : []);

/** Wires a bridge from its validated configuration. */
export function createBridge(config: BridgeConfig, log?: (line: string) => void): { bridge: Bridge; ssh: SshConnection } {
  const ssh = new SshConnection({
    host: config.SSH_HOST,
    port: config.SSH_PORT,
    username: config.SSH_USER,
    privateKey: readFileSync(config.SSH_KEY_FILE),
    hostFingerprint: config.SSH_HOST_FINGERPRINT,
  });
  const slurm = new SlurmDriver(ssh, {
    workRoot: config.REMOTE_WORK_DIR,
    partition: config.SLURM_PARTITION,
    account: config.SLURM_ACCOUNT,
    programs: { lmp: config.LMP_COMMAND, xtb: config.XTB_COMMAND, g16: config.G16_COMMAND },
    setup: { lmp: lines(config.LMP_MODULES), xtb: lines(config.XTB_MODULES), g16: lines(config.G16_MODULES) },
  });
  const master = new MasterClient(config.BRIDGE_MASTER_URL, config.BRIDGE_TOKEN, config.BRIDGE_CA_FILE);
  const bridge = new Bridge(
    master,
    slurm,
    {
      queues: config.BRIDGE_QUEUES.split(','),
      maxJobs: config.BRIDGE_MAX_JOBS,
      heartbeatMs: config.BRIDGE_HEARTBEAT_MS,
      claimWaitMs: config.BRIDGE_CLAIM_WAIT_MS,
      stateFile: config.BRIDGE_STATE_FILE,
    },
    log,
  );
  return { bridge, ssh };
}
