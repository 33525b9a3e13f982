import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The exact engine that ran each job, read from its own banner ("LAMMPS (7 Aug 2019)", "xtb 6.5.1", "Gaussian 16 ES64L-G16RevC.01"). */
export class EngineVersion1764400000000 implements MigrationInterface {
  name = 'EngineVersion1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs ADD COLUMN engine_version text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs DROP COLUMN engine_version`);
  }
}
