import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Personal API tokens: a user's named credentials for scripts (the REST API and the event
 * stream), scoped read or submit, with an optional expiry. Only the SHA-256 of the secret is
 * stored (256 random bits: a slow hash adds nothing); the prefix finds the row.
 */
export class PersonalTokens1764700000000 implements MigrationInterface {
  name = 'PersonalTokens1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE personal_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
        scope text NOT NULL CHECK (scope IN ('read', 'submit')),
        token_prefix text NOT NULL,
        token_hash char(64) NOT NULL,
        expires_at timestamptz,
        last_used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX personal_tokens_prefix_key ON personal_tokens (token_prefix)`);
    await q.query(`CREATE INDEX personal_tokens_user_idx ON personal_tokens (user_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE personal_tokens`);
  }
}
