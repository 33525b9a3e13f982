import { Client, type ClientConfig } from 'pg';
import { DataSource } from 'typeorm';
import type { CommonConfig } from '../config/common.config';
import { dataSourceOptions } from './data-source-options';
import { databaseSsl } from './database-ssl';

/** PostgreSQL's answers when another process created the same database or schema first. */
const ALREADY_EXISTS = new Set(['42P04', '42P06', '23505']);

/**
 * Creates the database (if the server lets us) and the schema, then runs pending migrations.
 * Safe when many processes start at once on a database that does not exist yet: a concurrent
 * creator's database is taken as made, and the schema and migrations run under a session
 * advisory lock per schema, so exactly one process migrates and the others then find it done.
 */
export async function migrate(config: CommonConfig): Promise<string[]> {
  const ssl = databaseSsl(config) || undefined;
  await ensureDatabase(config.DATABASE_URL, ssl);
  const lock = new Client({ connectionString: config.DATABASE_URL, ssl });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [`molq-migrate:${config.DATABASE_SCHEMA}`]);
    await lock.query(`CREATE SCHEMA IF NOT EXISTS "${config.DATABASE_SCHEMA}"`).catch(ignoreExisting);
    const ds = new DataSource(dataSourceOptions(config, { statementTimeoutMs: 0 })); // a migration may take long
    await ds.initialize();
    try {
      const ran = await ds.runMigrations({ transaction: 'all' });
      return ran.map((m) => m.name);
    } finally {
      await ds.destroy();
    }
  } finally {
    await lock.end(); // ending the session releases the lock
  }
}

function ignoreExisting(err: unknown): void {
  if (!ALREADY_EXISTS.has((err as { code?: string }).code ?? '')) throw err;
}

async function ensureDatabase(url: string, ssl: ClientConfig['ssl']): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), ssl });
  try {
    await client.connect();
  } catch {
    return; // no access to the maintenance database: assume the database exists (managed servers)
  }
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch(ignoreExisting);
  } finally {
    await client.end();
  }
}
