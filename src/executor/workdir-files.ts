import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { ProducedFile } from './executor';
import { openUntrusted } from './untrusted-file';

/** Output names a job may store (engines' marker files such as xtb's .xtboptok are not results). */
export const STORABLE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Every plain file of a working directory, sorted by name, with size and sha256: each opened
 * without following a symlink and checked to be a regular file on the handle it is hashed from.
 */
export async function listWorkdirFiles(dir: string): Promise<ProducedFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: ProducedFile[] = [];
  for (const e of entries.filter((x) => x.isFile()).sort((a, b) => a.name.localeCompare(b.name))) {
    const file = await openUntrusted(join(dir, e.name));
    if (!file) continue;
    const hash = createHash('sha256');
    try {
      for await (const chunk of file.handle.createReadStream({ autoClose: false, start: 0 })) hash.update(chunk);
    } finally {
      await file.handle.close();
    }
    files.push({ name: e.name, size: file.size, sha256: hash.digest('hex') });
  }
  return files;
}

/** A stream of one of a work dir's plain files (never through a symlink); it closes its file when done. */
export async function streamWorkdirFile(dir: string, name: string): Promise<Readable> {
  const file = await openUntrusted(join(dir, name));
  if (!file) throw new Error(`${name} is no longer a plain file of the job's work dir`);
  return file.handle.createReadStream({ start: 0 });
}
