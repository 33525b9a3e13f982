import type { EntityManager } from 'typeorm';
import { Artifact, type ArtifactKind } from './artifact.entity';

export type NewArtifact = Omit<Artifact, 'id' | 'createdAt'>;

/**
 * Writes to the artifacts table, each inside the caller's transaction (the one that moves the job on,
 * so a job's status and its files never disagree). Every stage that records files goes through here.
 */
export const ArtifactStore = {
  /** The jobs' artifacts of these kinds become exactly `rows` (a stage that ran again leaves no stale rows). */
  async replace(m: EntityManager, jobIds: string[], kinds: ArtifactKind[], rows: NewArtifact[]): Promise<void> {
    await m.query(`DELETE FROM artifacts WHERE job_id = ANY($1) AND kind = ANY($2)`, [jobIds, kinds]);
    if (rows.length > 0) await m.insert(Artifact, rows);
  },

  /** `to` gets rows for every artifact of `from`, pointing at the same stored objects (shared, not copied). */
  async share(m: EntityManager, from: string, to: string): Promise<void> {
    await m.query(`DELETE FROM artifacts WHERE job_id = $1`, [to]);
    await m.query(
      `INSERT INTO artifacts (job_id, kind, name, storage_key, size, sha256, content_type)
       SELECT $1, kind, name, storage_key, size, sha256, content_type FROM artifacts WHERE job_id = $2`,
      [to, from],
    );
  },
};
