import type { DataSourceOptions } from 'typeorm';
import type { CommonConfig } from '../config/common.config';
import { databaseSsl } from './database-ssl';
import { ENTITIES } from './entities';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { BatchReports1764100000000 } from './migrations/1764100000000-batch-reports';
import { JobChangeNotify1764200000000 } from './migrations/1764200000000-job-change-notify';
import { UserAccess1764300000000 } from './migrations/1764300000000-user-access';

export const MIGRATIONS = [InitialSchema1764000000000, BatchReports1764100000000, JobChangeNotify1764200000000, UserAccess1764300000000];

/**
 * TypeORM options for one molq process. Every connection's search_path is the configured
 * schema, so migrations and queries use unqualified table names. Never `synchronize`.
 */
export function dataSourceOptions(config: CommonConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    ssl: databaseSsl(config),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'all',
    synchronize: false,
    // off: TypeORM's error log prints query parameters (password hashes, tokens)
    logging: false,
    extra: { options: `-c search_path=${config.DATABASE_SCHEMA}`, max: 10 },
  };
}
