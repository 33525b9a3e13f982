import 'reflect-metadata';
import { configOrExit } from './bootstrap/config-or-exit';
import { createMaster } from './bootstrap/create-master';
import { MasterConfig } from './config/master.config';

async function main(): Promise<void> {
  const config = configOrExit(MasterConfig, 'master');
  const app = await createMaster(config);
  await app.listen(config.PORT, config.HOST);
}

main().catch((err) => {
  process.stderr.write(`molq master: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
