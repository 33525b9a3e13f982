import 'reflect-metadata';
import { configOrExit } from '../../src/bootstrap/config-or-exit';
import { HostKeyMismatchError } from '../../src/slurm/ssh-connection';
import { BridgeConfig } from './bridge.config';
import { createBridge } from './create-bridge';

/** The campus bridge: `node dist/workers/bridge/main.js` with its environment file loaded. */
async function main(): Promise<void> {
  const config = configOrExit(BridgeConfig, 'bridge');
  const { bridge, ssh, slurm } = createBridge(config);
  try {
    await ssh.connect();
  } catch (err) {
    process.stderr.write(`molq bridge: ${(err as Error).message}\n`);
    process.exit(err instanceof HostKeyMismatchError ? 78 : 1);
  }
  try {
    await slurm.probeSandbox();
  } catch (err) {
    process.stderr.write(`molq bridge: ${(err as Error).message}\n`);
    process.exit(78);
  }
  await bridge.start();
  process.stdout.write(`molq bridge: serving ${config.BRIDGE_QUEUES} from ${config.SSH_USER}@${config.SSH_HOST}\n`);
  const stop = async () => {
    await bridge.stop();
    ssh.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((err) => {
  process.stderr.write(`molq bridge: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
