import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When a batch's reports were written: at 90 % of its jobs finished, and at all of them. */
export class BatchReports1764100000000 implements MigrationInterface {
  name = 'BatchReports1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE batches ADD COLUMN report_partial_at timestamptz, ADD COLUMN report_final_at timestamptz`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE batches DROP COLUMN report_partial_at, DROP COLUMN report_final_at`);
  }
}
