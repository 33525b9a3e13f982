import { readFileSync } from 'node:fs';
import type { CommonConfig } from '../config/common.config';

/** TLS to PostgreSQL (managed servers): certificate always verified, against DATABASE_SSL_CA when given. */
export function databaseSsl(
  config: Pick<CommonConfig, 'DATABASE_SSL' | 'DATABASE_SSL_CA'>,
): false | { rejectUnauthorized: true; ca?: string } {
  if (!config.DATABASE_SSL) return false;
  return {
    rejectUnauthorized: true,
    ...(config.DATABASE_SSL_CA ? { ca: readFileSync(config.DATABASE_SSL_CA, 'utf8') } : {}),
  };
}
