import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IllegalTransitionError } from '../jobs/job-state-machine';
import { JobStatus } from '../jobs/job-status';
import { JobTransitions } from '../jobs/job-transitions';
import type { Job } from '../jobs/job.entity';
import { ArtifactStore } from '../artifacts/artifact-store';

const ACTOR = 'worker:ingestion';

interface Origin {
  id: string;
  engine_version: string | null;
}

/**
 * Nothing computed twice: a PENDING job whose input hash matches a COMPLETED job of the same owner
 * takes that job's results instead of running. It goes PENDING → COMPLETED in one transaction with
 * the origin's engine version, values and artifact rows (pointing at the same stored objects:
 * shared, not copied), and its timeline says "reused from <job>". Only the job that actually ran
 * is named as the origin, FAILED or CANCELLED jobs are never used, and results of an engine
 * version an admin barred (`reuse_blocked_versions`) are not reused.
 */
@Injectable()
export class ResultReuse {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: JobTransitions,
    private readonly artifacts: ArtifactStore,
  ) {}

  /** Completes `job` with the results of an identical finished job, if there is one; true when it did. */
  async take(job: Job, inputHash: string): Promise<boolean> {
    const origin = await this.originFor(job, inputHash);
    if (!origin) return false;
    const version = origin.engine_version ?? 'an unrecorded engine version';
    try {
      await this.dataSource.transaction(async (m) => {
        const [source] = await m.query(`SELECT quantities FROM jobs WHERE id = $1 AND status = 'COMPLETED'`, [
          origin.id,
        ]);
        if (!source) throw new IllegalTransitionError(origin.id, JobStatus.Completed, JobStatus.Completed);
        await this.transitions.transitionWithin(m, job.id, JobStatus.Completed, {
          actor: ACTOR,
          message: `reused from ${origin.id}: the same inputs, computed by ${version}; no engine ran`,
          patch: {
            reusedFrom: origin.id,
            inputHash,
            engineVersion: origin.engine_version,
            quantities: source.quantities,
          },
        });
        await this.artifacts.share(m, origin.id, job.id);
      });
    } catch (err) {
      if (err instanceof IllegalTransitionError) return false; // cancelled meanwhile: nothing to take
      throw err;
    }
    return true;
  }

  /** The newest of the owner's COMPLETED jobs with this hash that ran itself, by an engine version not barred. */
  private async originFor(job: Job, inputHash: string): Promise<Origin | undefined> {
    const [row]: Origin[] = await this.dataSource.query(
      `SELECT j.id, j.engine_version FROM jobs j
        WHERE j.owner_id = $1 AND j.input_hash = $2 AND j.status = 'COMPLETED' AND j.engine = $3
          AND j.reused_from IS NULL
          AND NOT EXISTS (SELECT 1 FROM reuse_blocked_versions b
                           WHERE b.engine = j.engine AND b.engine_version = j.engine_version)
        ORDER BY j.finished_at DESC LIMIT 1`,
      [job.ownerId, inputHash, job.engine],
    );
    return row;
  }
}
