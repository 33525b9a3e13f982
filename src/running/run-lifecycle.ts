import { Injectable } from '@nestjs/common';
import type { Artifact } from '../artifacts/artifact.entity';
import { ArtifactStore } from '../artifacts/artifact-store';
import type { ProducedFile } from '../executor/executor';
import { JobStatus } from '../jobs/job-status';
import { JobTransitions } from '../jobs/job-transitions';
import { JobPipeline } from '../jobs/job-pipeline';
import { JobStore } from '../jobs/job-store';
import type { Job } from '../jobs/job.entity';
import { RunningQuota } from '../quotas/running-quota';
import type { DeckManifest } from '../rendering/deck';
import { jobKeys } from '../storage/job-keys';
import { Storage } from '../storage/storage';

/** The statuses of a job that is out for a run (taken by a pool, or leased by a bridge). */
export const OUT_FOR_RUN: readonly JobStatus[] = [JobStatus.Queued, JobStatus.Dispatched, JobStatus.Running];

/**
 * One run of a job on the master's side, however it runs (a local or Slurm pool through RunService,
 * a campus bridge through PullService): dispatched, started, progress, finished, failed or put back.
 * Beside JobTransitions it is the only writer of a running job's `progress` and `scheduler_id` (through JobStore).
 */
@Injectable()
export class RunLifecycle {
  constructor(
    private readonly jobs: JobStore,
    private readonly artifacts: ArtifactStore,
    private readonly transitions: JobTransitions,
    private readonly pipeline: JobPipeline,
    private readonly storage: Storage,
    private readonly runningQuota: RunningQuota,
  ) {}

  status(jobId: string): Promise<JobStatus | undefined> {
    return this.jobs.status(jobId);
  }

  /** A job's input files (artifact rows) and its deck manifest (job.json: command, inputs, resources). */
  async inputs(jobId: string): Promise<{ files: Artifact[]; manifest: DeckManifest | null }> {
    const files = await this.artifacts.ofJob(jobId, ['input']);
    const manifestFile = files.find((a) => a.name === 'job.json');
    const manifest = manifestFile
      ? (JSON.parse((await this.storage.read(manifestFile.storageKey)).toString('utf8')) as DeckManifest)
      : null;
    return { files, manifest };
  }

  /**
   * QUEUED → DISPATCHED for this run (a job still DISPATCHED/RUNNING from a lost run goes back to
   * QUEUED first, saying `lost`); false, with nothing changed, when its owner is at QUOTA_RUNNING_JOBS.
   */
  async dispatch(job: Job, actor: string, message: string, lost: string): Promise<boolean> {
    if (job.status !== JobStatus.Queued)
      await this.transitions.transition(job.id, JobStatus.Queued, { actor, message: lost });
    return this.runningQuota.dispatch(job, { actor, message });
  }

  /** DISPATCHED → RUNNING (with the scheduler's id when known); a job in another status is left as it is. */
  async started(jobId: string, actor: string, message: string, schedulerId?: string): Promise<void> {
    if ((await this.status(jobId)) !== JobStatus.Dispatched) return;
    await this.transitions.transition(jobId, JobStatus.Running, {
      actor,
      message,
      ...(schedulerId ? { patch: { schedulerId } } : {}),
    });
  }

  /** The scheduler id and progress of a job out for a run, in one statement; null leaves a column as it is. */
  progress(jobId: string, progress: number | null, schedulerId: string | null = null): Promise<void> {
    return this.jobs.setRunProgress(jobId, progress, schedulerId);
  }

  /**
   * The run ended well: its files are staged (`jobKeys.staging`, by `stage` or already uploaded), the
   * staging manifest is written, the job passes RUNNING if its start was never recorded and goes to
   * UPLOADING (the upload queue verifies the files). A job already UPLOADING (an earlier try whose
   * enqueue failed) is only enqueued again.
   */
  async finished(job: Job, files: ProducedFile[], actor: string, stage?: () => Promise<void>): Promise<void> {
    if ((await this.status(job.id)) === JobStatus.Uploading) {
      await this.pipeline.enqueue([{ ...job, status: JobStatus.Uploading }]);
      return;
    }
    await stage?.();
    await this.storage.put(
      jobKeys.stagingManifest(job.id),
      Buffer.from(`${JSON.stringify({ jobId: job.id, files }, null, 2)}\n`),
    );
    await this.started(job.id, actor, 'ran');
    await this.pipeline.advance(job.id, JobStatus.Uploading, {
      actor,
      message: `run finished; ${files.length} file(s) staged`,
      patch: { progress: 1 },
    });
  }

  /** The run failed for good: FAILED with the reason (a job no longer out for a run is left as it is). */
  async failed(jobId: string, actor: string, message: string): Promise<boolean> {
    if (!OUT_FOR_RUN.includes((await this.status(jobId)) as JobStatus)) return false;
    await this.transitions.transition(jobId, JobStatus.Failed, { actor, message, patch: { error: message } });
    return true;
  }

  /** Back to QUEUED to run again from scratch: the scheduler job it had is over, never to be re-attached to. */
  async requeued(jobId: string, actor: string, message: string): Promise<void> {
    await this.transitions.transition(jobId, JobStatus.Queued, { actor, message, patch: { schedulerId: null } });
  }
}
