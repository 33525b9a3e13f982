import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A batch keeps the order its jobs were given in (issue 28.2): `batch_index` is a job's position in
 * its bulk submission (0, 1, …; null for a job without a batch and for batches submitted before
 * this, which keep their old id order), and the index reads a batch's jobs in that order. `labels`
 * are the job's own names for what it is ({"r_OH": 0.92}), used as columns of the export and as the
 * batch plot's x axis; never part of the input hash. It is json, not jsonb, to keep the labels in the
 * order the submitter wrote them (jsonb sorts keys by length), which is the order of their columns.
 */
export class BatchOrderLabels1765050000000 implements MigrationInterface {
  name = 'BatchOrderLabels1765050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs ADD COLUMN batch_index integer, ADD COLUMN labels json NOT NULL DEFAULT '{}'`);
    await q.query(
      `CREATE INDEX jobs_batch_position_idx ON jobs (batch_id, (COALESCE(batch_index, -1)), id) WHERE batch_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX jobs_batch_position_idx`);
    await q.query(`ALTER TABLE jobs DROP COLUMN batch_index, DROP COLUMN labels`);
  }
}
