import { Injectable } from '@nestjs/common';
import { JobStatus } from '../jobs/job-status';
import { JobStore } from '../jobs/job-store';
import { JobPipeline } from '../jobs/job-pipeline';
import type { Job } from '../jobs/job.entity';
import { ArtifactStore } from '../artifacts/artifact-store';
import { EngineRegistry } from '../engines/engine-registry';

const ACTOR = 'worker:ingestion';

/**
 * Nothing computed twice: a PENDING job whose input hash matches a COMPLETED job of the same owner
 * takes that job's results instead of running. It goes PENDING → COMPLETED in one transaction with
 * the origin's engine version, values and artifact rows (pointing at the same stored objects:
 * shared, not copied), and its timeline says "reused from <job>". Only the job that actually ran
 * is named as the origin, FAILED or CANCELLED jobs are never used, and results of an engine
 * version an admin barred (`reuse_blocked_versions`) are not reused. When the engine registry knows
 * every version of the engine that would run now (each live pool and bridge offering it printed
 * one), only results computed by one of those versions are taken.
 */
@Injectable()
export class ResultReuse {
  constructor(
    private readonly jobs: JobStore,
    private readonly pipeline: JobPipeline,
    private readonly artifacts: ArtifactStore,
    private readonly registry: EngineRegistry,
  ) {}

  /** Completes `job` with the results of an identical finished job, if there is one; true when it did. */
  async take(job: Job, inputHash: string): Promise<boolean> {
    // the versions the live pools and bridges would run now, when the registry knows them: results of another are not taken
    const versions = await this.registry.versionsNow(job.engine).catch(() => []);
    const origin = await this.jobs.reuseOrigin(job.ownerId, job.engine, inputHash, versions);
    if (!origin) return false;
    const version = origin.engineVersion ?? 'an unrecorded engine version';
    // a job cancelled meanwhile does not move: nothing to take
    return this.pipeline.transaction(async (tx) => {
      const moved = await tx.advance([job.id], JobStatus.Completed, {
        from: JobStatus.Pending,
        actor: ACTOR,
        message: `reused from ${origin.id}: the same inputs, computed by ${version}; no engine ran`,
        patch: {
          reusedFrom: origin.id,
          inputHash,
          engineVersion: origin.engineVersion,
          quantities: origin.quantities,
        },
      });
      if (moved.length > 0) await this.artifacts.share(tx.manager, origin.id, job.id);
      return moved.length > 0;
    });
  }
}
