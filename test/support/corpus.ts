import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** ../shared/corpus/<kind> beside the repository (as CI lays it out), or MOLQ_CORPUS_DIR/<kind>. */
export function corpusDir(kind: 'gaussian' | 'lammps' | 'slurm'): string {
  const root = process.env.MOLQ_CORPUS_DIR ?? join(__dirname, '..', '..', '..', 'shared', 'corpus');
  const dir = join(root, kind);
  if (!existsSync(dir))
    throw new Error(`parser corpus not found at ${dir}: put shared/ beside the repository or set MOLQ_CORPUS_DIR`);
  return dir;
}
