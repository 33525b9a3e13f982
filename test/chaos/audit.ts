import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { FINAL_STATUSES } from '../../src/jobs/job-status';

export interface JobRow {
  id: string;
  name: string;
  status: string;
  error: string | null;
  scheduler_id: string | null;
}

/** The jobs of one fault's phase (their names start with its tag), as PostgreSQL holds them. */
export async function phaseJobs(db: Pool, tag: string): Promise<JobRow[]> {
  const { rows } = await db.query<JobRow>(
    `SELECT id, name, status, error, scheduler_id FROM jobs WHERE name LIKE $1 ORDER BY created_at`,
    [`${tag} %`],
  );
  return rows;
}

export const isFinal = (status: string) => (FINAL_STATUSES as readonly string[]).includes(status);

/** How many times each job's engine was started: local launches from the run pool's log, Slurm submissions from squeue (MinJobAge keeps finished ones listed). */
export function launches(runPoolLog: string, ids: string[]): Map<string, { local: number; slurm: number }> {
  const counts = new Map(ids.map((id) => [id, { local: 0, slurm: 0 }]));
  for (const m of runPoolLog.matchAll(/job ([0-9a-f-]{36}): \S+ launched as local:/g)) {
    const c = counts.get(m[1]);
    if (c) c.local += 1;
  }
  const names = execFileSync('squeue', ['-h', '-t', 'all', '-o', '%j'], { stdio: ['ignore', 'pipe', 'ignore'] })
    .toString()
    .split('\n');
  for (const name of names) {
    const c = counts.get(name.trim().replace(/^molq-/, ''));
    if (c) c.slurm += 1;
  }
  return counts;
}

/** Engines still alive for these jobs: sandboxed processes under the work root, and Slurm jobs not yet ended. */
export function orphans(workRoot: string, ids: string[]): string[] {
  const quiet = (file: string, args: string[]) => {
    try {
      return execFileSync(file, args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    } catch {
      return ''; // pgrep exits 1 when nothing matches
    }
  };
  const local = quiet('pgrep', ['-a', '-f', workRoot])
    .split('\n')
    .filter((l) => l.trim() && /bwrap|lmp|xtb/.test(l));
  const wanted = new Set(ids.map((id) => `molq-${id}`));
  const slurm = quiet('squeue', ['-h', '-t', 'pending,running,completing,suspended', '-o', '%i %j %T'])
    .split('\n')
    .filter((l) => wanted.has(l.trim().split(/\s+/)[1]));
  return [...local.map((l) => `local: ${l}`), ...slurm.map((l) => `slurm: ${l}`)];
}

async function sha256(path: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

/** Every stored artifact of these jobs whose bytes differ from what PostgreSQL recorded (or that is missing). */
export async function badArtifacts(db: Pool, storageDir: string, ids: string[]): Promise<string[]> {
  const { rows } = await db.query<{ job_id: string; name: string; storage_key: string; size: string; sha256: string }>(
    `SELECT job_id, name, storage_key, size, sha256 FROM artifacts WHERE job_id = ANY($1)`,
    [ids],
  );
  const bad: string[] = [];
  for (const a of rows) {
    try {
      const actual = await sha256(join(storageDir, a.storage_key));
      if (actual.size !== Number(a.size) || actual.sha256 !== a.sha256)
        bad.push(`${a.job_id}/${a.name}: stored ${actual.size} B ${actual.sha256}, recorded ${a.size} B ${a.sha256}`);
    } catch (err) {
      bad.push(`${a.job_id}/${a.name}: ${(err as Error).message}`);
    }
  }
  return bad;
}

/** COMPLETED jobs without the files every completed job has. */
export async function incomplete(db: Pool, ids: string[]): Promise<string[]> {
  const { rows } = await db.query<{ id: string; names: string[] }>(
    `SELECT j.id, array_remove(array_agg(a.name), NULL) AS names FROM jobs j LEFT JOIN artifacts a ON a.job_id = j.id AND a.kind <> 'input'
      WHERE j.id = ANY($1) AND j.status = 'COMPLETED' GROUP BY j.id`,
    [ids],
  );
  return rows
    .filter((r) => !r.names.includes('report.html') || !r.names.includes('stdout.log'))
    .map((r) => `${r.id}: ${r.names.join(',') || 'no outputs'}`);
}

/**
 * The timeline of the phase's job that became final last (status moves with their time relative to
 * `since`, the moment the fault healed), for a report whose recovery was slow: which step waited.
 */
export async function lastToFinish(db: Pool, tag: string, since: number): Promise<{ id?: string; timeline: string[] }> {
  const { rows } = await db.query<{
    job_id: string;
    from_status: string | null;
    to_status: string;
    actor: string;
    message: string | null;
    at: Date;
  }>(
    `WITH last AS (
       SELECT j.id FROM jobs j JOIN job_events e ON e.job_id = j.id
        WHERE j.name LIKE $1 GROUP BY j.id ORDER BY max(e.created_at) DESC LIMIT 1)
     SELECT e.job_id, e.from_status, e.to_status, e.actor, e.message, e.created_at AS at
       FROM job_events e JOIN last ON last.id = e.job_id ORDER BY e.id`,
    [`${tag} %`],
  );
  const timeline = rows.map(
    (r) =>
      `${r.job_id.slice(0, 8)} t${((r.at.getTime() - since) / 1000).toFixed(1).replace(/^(?!-)/, '+')}s ` +
      `${r.from_status ?? '-'} → ${r.to_status} by ${r.actor}: ${(r.message ?? '').slice(0, 120)}`,
  );
  return { id: rows[0]?.job_id, timeline };
}
