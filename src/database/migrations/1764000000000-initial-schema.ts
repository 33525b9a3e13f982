import type { MigrationInterface, QueryRunner } from 'typeorm';

/** users, worker_tokens, batches, jobs, job_events, artifacts, with the API's indexes. */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL CHECK (email = lower(email) AND length(email) <= 254),
        password_hash text NOT NULL,
        role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'operator', 'admin')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);

    await q.query(`
      CREATE TABLE worker_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        token_prefix text NOT NULL,
        token_hash text NOT NULL,
        queues text[] NOT NULL,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX worker_tokens_active_name_key ON worker_tokens (name) WHERE revoked_at IS NULL`);
    await q.query(`CREATE UNIQUE INDEX worker_tokens_prefix_key ON worker_tokens (token_prefix)`);

    await q.query(`
      CREATE TABLE batches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name text,
        job_count int NOT NULL CHECK (job_count >= 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX batches_owner_created_idx ON batches (owner_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE jobs (
        id uuid PRIMARY KEY,
        owner_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        batch_id uuid REFERENCES batches (id) ON DELETE SET NULL,
        type text NOT NULL CHECK (type IN ('md', 'qc')),
        engine text NOT NULL CHECK (engine IN ('lammps', 'gaussian', 'xtb')),
        name text,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN
          ('PENDING','QUEUED','DISPATCHED','RUNNING','UPLOADING','REPORTING','COMPLETED','FAILED','CANCELLED')),
        priority int NOT NULL DEFAULT 0 CHECK (priority >= 0 AND priority <= 2097152),
        spec jsonb NOT NULL,
        progress real NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
        scheduler_id text,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX jobs_owner_created_idx ON jobs (owner_id, created_at DESC)`);
    await q.query(`CREATE INDEX jobs_owner_status_created_idx ON jobs (owner_id, status, created_at DESC)`);
    await q.query(`CREATE INDEX jobs_status_idx ON jobs (status)`);
    await q.query(`CREATE INDEX jobs_batch_status_idx ON jobs (batch_id, status) WHERE batch_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE job_events (
        id bigserial PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        from_status text,
        to_status text NOT NULL,
        actor text NOT NULL,
        message text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX job_events_job_idx ON job_events (job_id, id)`);

    await q.query(`
      CREATE TABLE artifacts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('input', 'output', 'log', 'report')),
        name text NOT NULL,
        storage_key text NOT NULL,
        size bigint NOT NULL CHECK (size >= 0),
        sha256 char(64) NOT NULL,
        content_type text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX artifacts_job_kind_name_key ON artifacts (job_id, kind, name)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['artifacts', 'job_events', 'jobs', 'batches', 'worker_tokens', 'users']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
