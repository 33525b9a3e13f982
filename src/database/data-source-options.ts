import type { DataSourceOptions } from 'typeorm';
import type { CommonConfig } from '../config/common.config';
import { databaseSsl } from './database-ssl';
import { ENTITIES } from './entities';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { BatchReports1764100000000 } from './migrations/1764100000000-batch-reports';
import { JobChangeNotify1764200000000 } from './migrations/1764200000000-job-change-notify';
import { UserAccess1764300000000 } from './migrations/1764300000000-user-access';
import { EngineVersion1764400000000 } from './migrations/1764400000000-engine-version';
import { JobListIndexes1764500000000 } from './migrations/1764500000000-job-list-indexes';
import { IdempotencyKeys1764600000000 } from './migrations/1764600000000-idempotency-keys';
import { PersonalTokens1764700000000 } from './migrations/1764700000000-personal-tokens';
import { JobQuantities1764800000000 } from './migrations/1764800000000-job-quantities';
import { ResultReuse1764900000000 } from './migrations/1764900000000-result-reuse';
import { BatchOrderLabels1765050000000 } from './migrations/1765050000000-batch-order-labels';

export const MIGRATIONS = [
  InitialSchema1764000000000,
  BatchReports1764100000000,
  JobChangeNotify1764200000000,
  UserAccess1764300000000,
  EngineVersion1764400000000,
  JobListIndexes1764500000000,
  IdempotencyKeys1764600000000,
  PersonalTokens1764700000000,
  JobQuantities1764800000000,
  ResultReuse1764900000000,
  BatchOrderLabels1765050000000,
];

/**
 * TypeORM options for one molq process. Every connection's search_path is the configured
 * schema, so migrations and queries use unqualified table names. Never `synchronize`.
 */
/** Every wait on PostgreSQL is bounded: connecting, a statement on the server, a query seen from the client. */
export const DATABASE_TIMEOUTS = { connectMs: 5_000, statementMs: 30_000, idleInTransactionMs: 60_000 };

export function dataSourceOptions(
  config: CommonConfig,
  { statementTimeoutMs = DATABASE_TIMEOUTS.statementMs } = {},
): DataSourceOptions {
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
    extra: {
      options: `-c search_path=${config.DATABASE_SCHEMA}`,
      max: 10,
      connectionTimeoutMillis: DATABASE_TIMEOUTS.connectMs,
      statement_timeout: statementTimeoutMs,
      // the client stops waiting a little after the server would have cancelled (0: no limit)
      query_timeout: statementTimeoutMs > 0 ? statementTimeoutMs + 5_000 : undefined,
      idle_in_transaction_session_timeout: DATABASE_TIMEOUTS.idleInTransactionMs,
    },
  };
}
