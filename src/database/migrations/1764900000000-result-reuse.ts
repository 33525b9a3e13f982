import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Nothing computed twice: each job's hash of what decides its result (engine, the rendered input
 * files, the options that change numbers), whether it may take an identical finished job's
 * results (`reuse`), which job it took them from, and the engine versions an admin has barred
 * from reuse. The partial index serves the one lookup: an owner's COMPLETED job with this hash.
 */
export class ResultReuse1764900000000 implements MigrationInterface {
  name = 'ResultReuse1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE jobs ADD COLUMN input_hash text, ADD COLUMN reuse boolean NOT NULL DEFAULT true,
         ADD COLUMN reused_from uuid`,
    );
    await q.query(
      `CREATE INDEX jobs_reuse_lookup_idx ON jobs (owner_id, input_hash, finished_at)
        WHERE status = 'COMPLETED' AND input_hash IS NOT NULL`,
    );
    await q.query(
      `CREATE TABLE reuse_blocked_versions (
         engine text NOT NULL,
         engine_version text NOT NULL,
         reason text,
         blocked_by text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (engine, engine_version))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reuse_blocked_versions`);
    await q.query(`DROP INDEX jobs_reuse_lookup_idx`);
    await q.query(`ALTER TABLE jobs DROP COLUMN input_hash, DROP COLUMN reuse, DROP COLUMN reused_from`);
  }
}
