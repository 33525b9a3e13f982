import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes that let every job list read only its page, whatever the size of the table: the list
 * order (created_at DESC, id DESC) under the owner, the owner and status, the owner and engine and
 * the batch, so a page is the first rows of one index range (a cursor starts inside it); and a
 * trigram index on the name for the name search, when pg_trgm can be installed (a trusted
 * extension: the database owner may). Without it the search still works, by reading the list.
 */
export class JobListIndexes1764500000000 implements MigrationInterface {
  name = 'JobListIndexes1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX jobs_owner_created_idx`);
    await q.query(`DROP INDEX jobs_owner_status_created_idx`);
    await q.query(`CREATE INDEX jobs_owner_created_idx ON jobs (owner_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX jobs_owner_status_created_idx ON jobs (owner_id, status, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX jobs_owner_engine_created_idx ON jobs (owner_id, engine, created_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX jobs_batch_created_idx ON jobs (batch_id, created_at DESC, id DESC) WHERE batch_id IS NOT NULL`,
    );
    // the extension is per database and other schemas' migrations may create it at the same moment (one at a
    // time, then, until this transaction ends); a role without the right to create it leaves the search unindexed
    await q.query(`SELECT pg_advisory_xact_lock(hashtext('molq-create-extension-pg_trgm'))`);
    await q.query(`
      DO $$ BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
      EXCEPTION WHEN unique_violation OR duplicate_object OR insufficient_privilege OR undefined_file OR invalid_schema_name THEN
        RAISE NOTICE 'pg_trgm not installed (%): the job name search reads without an index', SQLERRM;
      END $$`);
    await q.query(`
      DO $$ DECLARE trgm_schema text; BEGIN
        SELECT n.nspname INTO trgm_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
        IF trgm_schema IS NOT NULL THEN
          EXECUTE format('CREATE INDEX jobs_name_trgm_idx ON jobs USING gin (name %I.gin_trgm_ops)', trgm_schema);
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of [
      'jobs_name_trgm_idx',
      'jobs_batch_created_idx',
      'jobs_owner_engine_created_idx',
      'jobs_owner_status_created_idx',
      'jobs_owner_created_idx',
    ]) {
      await q.query(`DROP INDEX IF EXISTS ${index}`);
    }
    await q.query(`CREATE INDEX jobs_owner_created_idx ON jobs (owner_id, created_at DESC)`);
    await q.query(`CREATE INDEX jobs_owner_status_created_idx ON jobs (owner_id, status, created_at DESC)`);
  }
}
