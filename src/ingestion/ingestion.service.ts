import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { JobStore } from '../jobs/job-store';
import { ArtifactStore, type NewArtifact } from '../artifacts/artifact-store';
import { GroupCommit } from '../common/group-commit';
import { fairPriorities } from './fair-priority';
import { runQueueFor } from '../jobs/job-routing';
import { uploadedFilesOf } from '../jobs/job-spec';
import { JobStatus } from '../jobs/job-status';
import { JobPipeline } from '../jobs/job-pipeline';
import { Job } from '../jobs/job.entity';
import { TEXT, RenderError } from '../rendering/deck';
import { renderDeck } from '../rendering/deck-renderer';
import { jobKeys } from '../storage/job-keys';
import { Storage } from '../storage/storage';
import { BatchReportService } from '../results/batch-report.service';
import { inputHashOf } from '../reuse/input-hash';
import { ResultReuse } from '../reuse/result-reuse.service';

export type IngestionOutcome = 'queued' | 'requeued' | 'reused' | 'failed' | 'skipped';

interface Rendered {
  job: Job;
  artifacts: NewArtifact[];
  inputHash: string;
}

const ACTOR = 'worker:ingestion';

/**
 * Takes a PENDING job to QUEUED: renders its input deck, stores each file with its size and
 * sha256 as an input artifact, then routes it to md or qc with its priority. A job whose input
 * hash matches a finished one of its owner (and that allows reuse) takes its results instead and
 * is COMPLETED without running (src/reuse/). Safe to repeat:
 * a job already QUEUED is only (idempotently) enqueued again, later states are left alone.
 * Concurrent ingestions share their commit and their enqueue (group commit).
 */
@Injectable()
export class IngestionService {
  private readonly commits: GroupCommit<Rendered, boolean>;
  private readonly routes: GroupCommit<Job>;

  constructor(
    private readonly jobs: JobStore,
    private readonly artifactStore: ArtifactStore,
    private readonly pipeline: JobPipeline,
    private readonly storage: Storage,
    private readonly reuse: ResultReuse,
    private readonly batchReports: BatchReportService,
  ) {
    this.commits = new GroupCommit((items) => this.commitQueued(items));
    this.routes = new GroupCommit<Job>(async (jobs) => {
      const priorities = fairPriorities(jobs, await this.jobs.queuedByOwner([...new Set(jobs.map((j) => j.ownerId))]));
      await this.pipeline.enqueue(jobs.map((j, i) => ({ ...j, status: JobStatus.Queued, priority: priorities[i] })));
      return jobs.map(() => undefined);
    });
  }

  async ingest(jobId: string): Promise<IngestionOutcome> {
    const job = await this.jobs.get(jobId);
    if (!job) throw new UnrecoverableError(`job ${jobId} does not exist`);
    if (job.status === JobStatus.Queued) return this.route(job, 'requeued');
    if (job.status !== JobStatus.Pending) return 'skipped';

    let artifacts: NewArtifact[];
    let inputHash: string;
    try {
      inputHash = inputHashOf(job);
      if (job.reuse && (await this.reuse.take(job, inputHash))) {
        await this.dropUploads(job);
        if (job.batchId) await this.batchReports.check(job.batchId);
        return 'reused';
      }
      artifacts = await this.storeInputs(job);
    } catch (err) {
      if (!(err instanceof RenderError)) throw err;
      await this.pipeline.advance(jobId, JobStatus.Failed, {
        from: JobStatus.Pending,
        actor: ACTOR,
        message: err.message,
        patch: { error: err.message },
      });
      return 'failed';
    }
    const queued = await this.commits.submit({ job, artifacts, inputHash });
    return queued ? this.route(job, 'queued') : 'skipped';
  }

  /**
   * Ingestion failed for good (every attempt used, or unrecoverable): a job still PENDING ends
   * FAILED with the reason, so the reconciler does not enqueue it again forever.
   */
  async fail(jobId: string, reason: string): Promise<void> {
    const message = `ingestion failed: ${reason}`.slice(0, 1_000);
    await this.pipeline.advance(jobId, JobStatus.Failed, {
      from: JobStatus.Pending,
      actor: ACTOR,
      message,
      patch: { error: message },
    });
  }

  /** A reused job's own uploads: its artifacts are the origin's (same bytes, by hash), so these are never read. */
  private async dropUploads(job: Job): Promise<void> {
    for (const u of uploadedFilesOf(job.spec))
      await this.storage.delete(jobKeys.upload(job.id, u.name)).catch(() => undefined);
  }

  private async storeInputs(job: Job): Promise<NewArtifact[]> {
    const deck = renderDeck(job);
    const artifacts = await Promise.all(
      deck.files.map(async (f): Promise<NewArtifact> => {
        const stored = await this.storage.put(jobKeys.input(job.id, f.name), f.content);
        return {
          jobId: job.id,
          kind: 'input',
          name: f.name,
          storageKey: stored.key,
          size: String(stored.size),
          sha256: stored.sha256,
          contentType: f.contentType,
        };
      }),
    );
    for (const u of uploadedFilesOf(job.spec)) {
      artifacts.push({
        jobId: job.id,
        kind: 'input',
        name: u.name,
        storageKey: jobKeys.upload(job.id, u.name),
        size: String(u.size),
        sha256: u.sha256,
        contentType: TEXT,
      });
    }
    return artifacts;
  }

  /** One transaction for many jobs: PENDING → QUEUED (those still PENDING) with their artifacts. */
  private commitQueued(items: Rendered[]): Promise<boolean[]> {
    return this.pipeline.transaction(async (tx) => {
      const message = new Map(
        items.map((i) => [
          i.job.id,
          `rendered ${i.artifacts.length} input file(s), routed to ${runQueueFor(i.job.type)}`,
        ]),
      );
      const ids = items.map((i) => i.job.id);
      // entered with fair priorities by `route`, once committed
      const movedJobs = await tx.advance(ids, JobStatus.Queued, {
        from: JobStatus.Pending,
        actor: ACTOR,
        message,
        enqueue: false,
      });
      const moved = new Set(movedJobs.map((j) => j.id));
      if (moved.size > 0) {
        const done = items.filter((i) => moved.has(i.job.id));
        await this.jobs.setInputHashes(
          tx.manager,
          done.map((i) => i.job.id),
          done.map((i) => i.inputHash),
        );
        await this.artifactStore.replace(
          tx.manager,
          [...moved],
          ['input'],
          done.flatMap((i) => i.artifacts),
        );
      }
      return items.map((i) => moved.has(i.job.id));
    });
  }

  private async route(job: Job, outcome: IngestionOutcome): Promise<IngestionOutcome> {
    await this.routes.submit(job);
    return outcome;
  }
}
