import { connectSlurm } from '../../src/slurm/connect-slurm';
import type { SlurmDriver } from '../../src/slurm/slurm-driver';
import type { SshConnection } from '../../src/slurm/ssh-connection';
import { Bridge } from './bridge';
import type { BridgeConfig } from './bridge.config';
import { MasterClient } from './master-client';
import type { RunQueueName } from '../../queues/queue-name';

/** Wires a bridge from its validated configuration. */
export function createBridge(
  config: BridgeConfig,
  log?: (line: string) => void,
): { bridge: Bridge; ssh: SshConnection; slurm: SlurmDriver } {
  const { ssh, slurm } = connectSlurm(config);
  const master = new MasterClient(config.BRIDGE_MASTER_URL, config.BRIDGE_TOKEN, config.BRIDGE_CA_FILE);
  const bridge = new Bridge(
    master,
    slurm,
    {
      queues: config.BRIDGE_QUEUES.split(',') as RunQueueName[], // validated: md, qc or md,qc
      maxJobs: config.BRIDGE_MAX_JOBS,
      heartbeatMs: config.BRIDGE_HEARTBEAT_MS,
      claimWaitMs: config.BRIDGE_CLAIM_WAIT_MS,
      stateFile: config.BRIDGE_STATE_FILE,
    },
    log,
  );
  return { bridge, ssh, slurm };
}
