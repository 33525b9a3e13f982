import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Artifact, type ArtifactKind } from './artifact.entity';

export type NewArtifact = Omit<Artifact, 'id' | 'createdAt'>;

/**
 * The artifacts table: a job's files by kind, and the writes, each inside the caller's transaction
 * (the one that moves the job on, so a job's status and its files never disagree).
 */
@Injectable()
export class ArtifactStore {
  constructor(private readonly dataSource: DataSource) {}

  /** The job's artifacts of these kinds (all kinds when none is given), by kind then name. */
  ofJob(jobId: string, kinds?: ArtifactKind[]): Promise<Artifact[]> {
    return this.dataSource.getRepository(Artifact).find({
      where: { jobId, ...(kinds ? { kind: In(kinds) } : {}) },
      order: { kind: 'ASC', name: 'ASC' },
    });
  }

  one(jobId: string, id: string): Promise<Artifact | null> {
    return this.dataSource.getRepository(Artifact).findOneBy({ id, jobId });
  }

  /** The storage key of each of these jobs' report.json (jobs without one left out). */
  async reportKeys(jobIds: string[]): Promise<Map<string, string>> {
    const rows: { job_id: string; storage_key: string }[] = await this.dataSource.query(
      `SELECT job_id, storage_key FROM artifacts WHERE job_id = ANY($1) AND kind = 'report' AND name = 'report.json'`,
      [jobIds],
    );
    return new Map(rows.map((r) => [r.job_id, r.storage_key]));
  }

  /** The jobs' artifacts of these kinds become exactly `rows` (a stage that ran again leaves no stale rows). */
  async replace(m: EntityManager, jobIds: string[], kinds: ArtifactKind[], rows: NewArtifact[]): Promise<void> {
    await m.query(`DELETE FROM artifacts WHERE job_id = ANY($1) AND kind = ANY($2)`, [jobIds, kinds]);
    if (rows.length > 0) await m.insert(Artifact, rows);
  }

  /** `to` gets rows for every artifact of `from`, pointing at the same stored objects (shared, not copied). */
  async share(m: EntityManager, from: string, to: string): Promise<void> {
    await m.query(`DELETE FROM artifacts WHERE job_id = $1`, [to]);
    await m.query(
      `INSERT INTO artifacts (job_id, kind, name, storage_key, size, sha256, content_type)
       SELECT $1, kind, name, storage_key, size, sha256, content_type FROM artifacts WHERE job_id = $2`,
      [to, from],
    );
  }
}
