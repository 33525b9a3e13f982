import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who may do what, revocable at once: `token_version` is carried in every access token and bumped
 * by logout, password and role changes (older tokens stop working); `status` holds accounts that
 * wait for an admin's approval or were disabled; `permissions` holds grants beyond the role
 * (`scripts`: may upload engine scripts).
 */
export class UserAccess1764300000000 implements MigrationInterface {
  name = 'UserAccess1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
    await q.query(
      `ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'pending', 'disabled'))`,
    );
    await q.query(`ALTER TABLE users ADD COLUMN permissions text[] NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN permissions`);
    await q.query(`ALTER TABLE users DROP COLUMN status`);
    await q.query(`ALTER TABLE users DROP COLUMN token_version`);
  }
}
