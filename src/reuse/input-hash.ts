import { createHash } from 'node:crypto';
import { uploadedFilesOf } from '../jobs/job-spec';
import type { Job } from '../jobs/job.entity';
import { renderDeck } from '../rendering/deck-renderer';

/** Stands in for every job's id and name in the deck that is hashed: titles do not change results. */
const NEUTRAL = { id: '00000000-0000-4000-8000-000000000000', name: null };

/** Bumped when what the hash covers changes, so old hashes never match new ones. */
const VERSION = 'molq-input-hash/1';

/**
 * The sha256 of what decides a job's result, as one hex string: the engine, the command line
 * (program and arguments: task, GFN level, threads) and every input file byte for byte (rendered
 * files, with Gaussian's cores and memory lines; uploaded scripts and data by their sha256). Left
 * out: the job's id and name (they only reach titles and comment lines) and the walltime, memory
 * and partition asked of the scheduler (they decide whether a run finishes, not its numbers). The engine version
 * is matched separately (only an admin-allowed version's results are reused; each job shows the
 * version that computed it).
 */
export function inputHashOf(job: Job): string {
  const deck = renderDeck(Object.assign(Object.create(Object.getPrototypeOf(job)), job, NEUTRAL) as Job);
  const files = deck.files
    .filter((f) => f.name !== 'job.json')
    .map((f) => ({ name: f.name, sha256: createHash('sha256').update(f.content).digest('hex') }));
  for (const u of uploadedFilesOf(job.spec)) files.push({ name: u.name, sha256: u.sha256 });
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return createHash('sha256')
    .update(JSON.stringify({ v: VERSION, engine: job.engine, command: deck.manifest.command, files }))
    .digest('hex');
}
