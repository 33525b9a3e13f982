import { Injectable } from '@nestjs/common';
import type { Artifact } from '../artifacts/artifact.entity';
import { ArtifactStore } from '../artifacts/artifact-store';
import type { ProducedFile } from '../executor/executor';
import type { RunOutcome } from '../executor/run-outcome';
import { OUT_FOR_RUN } from '../jobs/job-routing';
import { JobStatus } from '../jobs/job-status';
import { JobPipeline } from '../jobs/job-pipeline';
import { JobStore } from '../jobs/job-store';
import type { Job } from '../jobs/job.entity';
import { RunningQuota } from '../quotas/running-quota';
import type { DeckManifest } from '../rendering/deck';
import { jobKeys } from '../storage/job-keys';
import { Storage } from '../storage/storage';

/**
 * What a run's queue entry does once the run has ended and the job has moved:
 * uploading (completed; the entry completes), failed (the job FAILED with the reason: the entry fails,
 * not retried), retry (the cluster failed it and attempts are left: the job is QUEUED, the entry fails
 * to be retried after its backoff), cancelled (by its owner: the entry completes), handed-back (the
 * run was let go, the pool shutting down: the entry goes back as it is), skipped (the job moved on).
 */
export type RunStep = 'uploading' | 'failed' | 'retry' | 'cancelled' | 'handed-back' | 'skipped';

/** A run lost with its pool or lease: DISPATCHED or RUNNING goes back to QUEUED before it is taken again. */
const TAKEN: readonly JobStatus[] = [JobStatus.Dispatched, JobStatus.Running];

/**
 * One run of a job on the master's side, however it runs (a local or Slurm pool through RunService,
 * a campus bridge through PullService): dispatched, started, progress, finished, failed or put back.
 * Beside the pipeline's moves it is the only writer of a running job's `progress` and `scheduler_id` (through JobStore).
 */
@Injectable()
export class RunLifecycle {
  constructor(
    private readonly jobs: JobStore,
    private readonly artifacts: ArtifactStore,
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
  dispatch(job: Job, actor: string, message: string, lost: string): Promise<boolean> {
    return this.runningQuota.dispatch(job, { actor, message }, { from: TAKEN, actor, message: lost });
  }

  /** DISPATCHED → RUNNING (with the scheduler's id when known); a job in another status is left as it is. */
  async started(jobId: string, actor: string, message: string, schedulerId?: string): Promise<void> {
    await this.pipeline.advance(jobId, JobStatus.Running, {
      from: JobStatus.Dispatched,
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
   * UPLOADING (the upload queue verifies the files). False when the job had left its run meanwhile
   * (cancelled by its owner): nothing moved.
   */
  async finished(job: Job, files: ProducedFile[], actor: string, stage?: () => Promise<void>): Promise<boolean> {
    await stage?.();
    await this.storage.put(
      jobKeys.stagingManifest(job.id),
      Buffer.from(`${JSON.stringify({ jobId: job.id, files }, null, 2)}\n`),
    );
    await this.started(job.id, actor, 'ran');
    const moved = await this.pipeline.advance(job.id, JobStatus.Uploading, {
      from: JobStatus.Running,
      actor,
      message: `run finished; ${files.length} file(s) staged`,
      patch: { progress: 1 },
    });
    return moved.length > 0;
  }

  /**
   * The one reader of a run's outcome, whichever executor produced it: moves the job (UPLOADING with its
   * files, FAILED with the reason, back to QUEUED for a retryable failure while `attemptsLeft`) and says
   * what the run's entry does next. `stage` puts a completed run's files in storage first.
   */
  async ended(
    job: Job,
    outcome: RunOutcome,
    actor: string,
    options: { attemptsLeft: boolean; stage?: () => Promise<void> },
  ): Promise<RunStep> {
    if (outcome.kind === 'completed' && (await this.finished(job, outcome.files, actor, options.stage)))
      return 'uploading';
    if (outcome.kind === 'failed') {
      if (outcome.retryable && options.attemptsLeft) {
        await this.requeued(job.id, actor, `requeued: ${outcome.reason}`);
        return 'retry';
      }
      await this.started(job.id, actor, 'ran'); // a run so short that its start was not yet recorded
      if (await this.failed(job.id, actor, outcome.reason)) return 'failed';
    }
    // nothing moved: the job left its run meanwhile (its owner cancelled it), or the run was let go
    const status = await this.status(job.id);
    if (status === JobStatus.Cancelled) return 'cancelled';
    if (outcome.kind === 'cancelled') return 'handed-back';
    return status === JobStatus.Failed ? 'failed' : 'skipped'; // FAILED: an earlier try of this step recorded it
  }

  /** The run failed for good: FAILED with the reason (a job no longer out for a run is left as it is). */
  async failed(jobId: string, actor: string, message: string): Promise<boolean> {
    const moved = await this.pipeline.advance(jobId, JobStatus.Failed, {
      from: OUT_FOR_RUN,
      actor,
      message,
      patch: { error: message },
    });
    return moved.length > 0;
  }

  /** Back to QUEUED to run again from scratch: the scheduler job it had is over, never to be re-attached to. */
  async requeued(jobId: string, actor: string, message: string): Promise<void> {
    await this.pipeline.advance(jobId, JobStatus.Queued, {
      from: TAKEN,
      actor,
      message,
      patch: { schedulerId: null },
      enqueue: false, // the failed attempt keeps its run entry: BullMQ tries it again after its backoff
    });
  }
}
