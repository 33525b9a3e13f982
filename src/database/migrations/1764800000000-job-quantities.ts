import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each finished job's reported values ([{label, value, unit}], as in report.json) beside its row,
 * so a batch's results export as one streamed query instead of one file read per job.
 */
export class JobQuantities1764800000000 implements MigrationInterface {
  name = 'JobQuantities1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs ADD COLUMN quantities jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs DROP COLUMN quantities`);
  }
}
