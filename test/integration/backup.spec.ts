import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ROOT } from '../support/compose';
import { newWorld, setUpWorld, tearDownWorld } from '../support/test-config';

// scripts/backup-postgres.sh against the real PostgreSQL: a dump of the world's schema that
// pg_restore brings back, and retention keeping the newest N.
const world = newWorld();
const dir = mkdtempSync(join(tmpdir(), 'molq-backup-'));
beforeAll(() => setUpWorld(world));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await tearDownWorld(world);
});

const sql = async (query: string) => {
  const pg = new Client({ connectionString: world.env.DATABASE_URL });
  await pg.connect();
  try {
    return (await pg.query(query)).rows;
  } finally {
    await pg.end();
  }
};

it('dumps the schema, restores it, and keeps only the newest N dumps', async () => {
  const schema = world.env.DATABASE_SCHEMA;
  await sql(
    `INSERT INTO "${schema}".users (id, email, password_hash, role) VALUES (gen_random_uuid(), 'backup@example.org', 'x', 'user')`,
  );
  for (const [i, name] of [
    'molq-20000101T000000Z.dump',
    'molq-20000102T000000Z.dump',
    'molq-20000103T000000Z.dump',
  ].entries()) {
    writeFileSync(join(dir, name), 'old');
    utimesSync(join(dir, name), new Date(2000, 0, i + 1), new Date(2000, 0, i + 1));
  }
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    DATABASE_URL: world.env.DATABASE_URL,
    DATABASE_SCHEMA: schema,
  };
  const out = execFileSync('bash', [join(ROOT, 'scripts/backup-postgres.sh'), dir, '2'], { env, encoding: 'utf8' });
  expect(out).toMatch(/wrote .*molq-\d{8}T\d{6}Z\.dump \(\d+ bytes\)/);
  const kept = readdirSync(dir).sort();
  expect(kept).toHaveLength(2);
  expect(kept[0]).toBe('molq-20000103T000000Z.dump'); // the newest old one, beside today's
  await sql(`DROP SCHEMA "${schema}" CASCADE`);
  execFileSync('pg_restore', ['--no-owner', '-d', world.env.DATABASE_URL, join(dir, kept[1])], { env });
  expect(await sql(`SELECT email FROM "${schema}".users`)).toEqual([{ email: 'backup@example.org' }]);
  expect(() =>
    execFileSync('bash', [join(ROOT, 'scripts/backup-postgres.sh'), dir, 'lots'], { env, stdio: 'pipe' }),
  ).toThrow(/keep must be a positive number/);
});
