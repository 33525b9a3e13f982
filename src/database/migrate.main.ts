import 'reflect-metadata';
import { configOrExit } from '../bootstrap/config-or-exit';
import { CommonConfig } from '../config/common.config';
import { migrate } from './migrate';

/** `node dist/src/database/migrate.main.js`: creates database and schema, runs migrations. */
migrate(configOrExit(CommonConfig, 'migrate'))
  .then((ran) => process.stdout.write(ran.length ? `migrations applied: ${ran.join(', ')}\n` : 'schema up to date\n'))
  .catch((err) => {
    process.stderr.write(`molq migrate: ${(err as Error).message}\n`);
    process.exit(1);
  });
