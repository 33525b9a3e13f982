import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProducedFile } from './executor';

/** Output names a job may store (engines' marker files such as xtb's .xtboptok are not results). */
export const STORABLE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

/** Every plain file of a working directory, sorted by name, with size and sha256. */
export async function listWorkdirFiles(dir: string): Promise<ProducedFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: ProducedFile[] = [];
  for (const e of entries.filter((x) => x.isFile()).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    files.push({ name: e.name, size: (await stat(path)).size, sha256: await sha256File(path) });
  }
  return files;
}
