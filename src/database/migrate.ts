import { databaseSsl } from './database-ssl';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { CommonConfig } from '../config/common.config';
import { dataSourceOptions } from './data-source-options';

/** Creates the database (if the server lets us) and the schema, then runs pending migrations. */
export async function migrate(config: CommonConfig): Promise<string[]> {
  await ensureDatabase(config.DATABASE_URL, databaseSsl(config));
  const ds = new DataSource(dataSourceOptions(config));
  await ds.initialize();
  try {
    await ds.query(`CREATE SCHEMA IF NOT EXISTS "${config.DATABASE_SCHEMA}"`);
    const ran = await ds.runMigrations({ transaction: 'all' });
    return ran.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

async function ensureDatabase(url: string, ssl: ReturnType<typeof databaseSsl>): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL names no database');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString(), ssl: ssl || undefined });
  try {
    await client.connect();
  } catch {
    return; // no access to the maintenance database: assume the database exists (managed servers)
  }
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
