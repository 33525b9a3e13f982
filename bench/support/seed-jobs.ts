import type { Client } from 'pg';

/**
 * Fills the jobs table for one (registered) user in a few statements: `count` jobs over the last
 * 100 days, half of them in one batch and the rest in batches of 1,000; 80 % COMPLETED, 10 % FAILED,
 * 10 % CANCELLED (finished jobs only: the reconciler would queue seeded waiting ones); xtb, LAMMPS and Gaussian; four events and four artifacts each.
 */
export async function seedJobs(pg: Client, email: string, count: number) {
  const owner = await pg.query('SELECT id FROM users WHERE email = $1', [email]);
  const ownerId: string = owner.rows[0].id;
  const bigBatchJobs = Math.floor(count / 2);
  const big = await pg.query('INSERT INTO batches (owner_id, name, job_count) VALUES ($1, $2, $3) RETURNING id', [
    ownerId,
    'big screen',
    bigBatchJobs,
  ]);
  const bigBatchId: string = big.rows[0].id;
  const small = await pg.query(
    `INSERT INTO batches (owner_id, name, job_count)
     SELECT $1, 'grid ' || b, 1000 FROM generate_series(1, $2::int) b RETURNING id`,
    [ownerId, Math.ceil((count - bigBatchJobs) / 1000)],
  );
  const batchIds = small.rows.map((r) => r.id as string);
  await pg.query(
    `INSERT INTO jobs (id, owner_id, batch_id, type, engine, name, status, spec, progress, created_at, updated_at, started_at, finished_at, error, quantities)
     SELECT gen_random_uuid(), $1,
            CASE WHEN i <= $3 THEN $4::uuid ELSE ($5::uuid[])[1 + (i - $3 - 1) / 1000] END,
            CASE WHEN i % 10 < 2 THEN 'md' ELSE 'qc' END,
            CASE WHEN i % 10 < 2 THEN 'lammps' WHEN i % 10 = 2 THEN 'gaussian' ELSE 'xtb' END,
            'conformer ' || i,
            CASE WHEN i % 20 < 16 THEN 'COMPLETED' WHEN i % 20 < 18 THEN 'FAILED' ELSE 'CANCELLED' END,
            '{"qc": {"task": "sp", "xyz": "3\\nwater\\nO 0 0 0.117\\nH 0 0.757 -0.467\\nH 0 -0.757 -0.467\\n"}}'::jsonb,
            CASE WHEN i % 20 < 16 THEN 1 ELSE 0 END,
            t, t + interval '5 s', t + interval '1 s', t + interval '4 s',
            CASE WHEN i % 20 IN (16, 17) THEN 'xtb exited with code 1' END,
            CASE WHEN i % 20 < 16 THEN jsonb_build_array(
              jsonb_build_object('label', 'total energy', 'value', -5.07 - i / 1e7, 'unit', 'Eh'),
              jsonb_build_object('label', 'HOMO-LUMO gap', 'value', 14.2 + (i % 100) / 100.0, 'unit', 'eV'),
              jsonb_build_object('label', 'dipole moment', 'value', 2.1, 'unit', 'Debye')) END
     FROM generate_series(1, $2::int) i, LATERAL (SELECT now() - interval '100 days' * (1 - i::float8 / $2) AS t) created`,
    [ownerId, count, bigBatchJobs, bigBatchId, batchIds],
  );
  await pg.query(
    `INSERT INTO job_events (job_id, from_status, to_status, actor, created_at)
     SELECT j.id, s.from_status, s.to_status, 'system', j.created_at + s.after
     FROM jobs j, (VALUES (NULL, 'PENDING', interval '0 s'), ('PENDING', 'QUEUED', interval '0.1 s'),
                          ('QUEUED', 'RUNNING', interval '1 s'), ('RUNNING', 'COMPLETED', interval '4 s')) s(from_status, to_status, after)
     WHERE j.owner_id = $1`,
    [ownerId],
  );
  await pg.query(
    `INSERT INTO artifacts (job_id, kind, name, storage_key, size, sha256, content_type, created_at)
     SELECT j.id, a.kind, a.name, 'jobs/' || j.id || '/' || a.name, 1000, repeat('0', 64), 'text/plain', j.finished_at
     FROM jobs j, (VALUES ('input', 'coord.xyz'), ('output', 'stdout.log'), ('log', 'stderr.log'), ('report', 'report.json')) a(kind, name)
     WHERE j.owner_id = $1`,
    [ownerId],
  );
  return { ownerId, bigBatchId, bigBatchJobs };
}
