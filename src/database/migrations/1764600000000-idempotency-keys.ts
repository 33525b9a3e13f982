import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency-Key on submissions: per user and key, the request's sha256 and the ids its answer
 * names (chosen before anything is written, so a retry after a crash finishes the same jobs).
 * A key is honoured for 24 hours; older rows are replaced by a new use and swept by the reconciler.
 */
export class IdempotencyKeys1764600000000 implements MigrationInterface {
  name = 'IdempotencyKeys1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        key text NOT NULL CHECK (length(key) BETWEEN 1 AND 255),
        request_sha256 char(64) NOT NULL,
        batch_id uuid,
        job_ids uuid[] NOT NULL CHECK (cardinality(job_ids) >= 1),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (owner_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
  }
}
