import { Inject, Injectable, Logger } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { Artifact } from '../artifacts/artifact.entity';
import { WorkerConfig } from '../config/worker.config';
import { CANCELLED_BY_USER, type Executor, type ProducedFile, type RunResult } from '../executor/executor';
import { JobStatus } from '../jobs/job-status';
import { JobTransitions } from '../jobs/job-transitions';
import { JobPipeline } from '../jobs/job-pipeline';
import { Job } from '../jobs/job.entity';
import { untilAvailable } from '../common/unavailable';
import { RUNNING_QUOTA_RETRY_MS, RunDeferred, RunningQuota } from '../quotas/running-quota';
import { STORABLE_NAME } from '../executor/workdir-files';
import type { DeckManifest } from '../rendering/deck';
import { jobKeys } from '../storage/job-keys';
import { Storage } from '../storage/storage';

export const EXECUTOR = Symbol('EXECUTOR');

export type RunOutcome = 'uploading' | 'failed' | 'cancelled' | 'skipped';

export interface RunContext {
  /** Aborted when the pool shuts down past its grace period (the job was handed back). */
  signal: AbortSignal;
  /** Mirrors progress onto the queue entry (Bull Board). */
  reportProgress?: (fraction: number) => Promise<void> | void;
  actor: string;
}

const CANCEL_POLL_MS = 1_000;
/** How long a finished run waits for PostgreSQL/Redis to record its results before its entry fails (and it runs again). */
const RESULT_PATIENCE_MS = 10 * 60_000;
const PROGRESS_WRITE_MS = 500;

/**
 * Runs one QUEUED job through an executor: DISPATCHED, inputs staged into a working
 * directory, RUNNING with progress, then its files staged in storage with a manifest and the
 * job moved to UPLOADING (the upload queue takes it from there). A user's cancel stops the
 * engine; an engine failure or walltime ends the job FAILED with the reason.
 */
@Injectable()
export class RunService {
  private readonly logger = new Logger(RunService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: JobTransitions,
    private readonly pipeline: JobPipeline,
    private readonly storage: Storage,
    @Inject(EXECUTOR) private readonly executor: Executor,
    @Inject(WorkerConfig) private readonly config: WorkerConfig,
    private readonly runningQuota: RunningQuota,
  ) {}

  async run(jobId: string, context: RunContext): Promise<RunOutcome> {
    const job = await this.dataSource.getRepository(Job).findOneBy({ id: jobId });
    if (!job || ![JobStatus.Queued, JobStatus.Dispatched, JobStatus.Running].includes(job.status)) return 'skipped';
    const { actor } = context;
    const workdir = resolve(this.config.WORK_DIR, jobId);
    if (job.status === JobStatus.Running && (await this.executor.stillRunning?.(job.schedulerId, workdir))) {
      // the entry came back (Redis lost it; the reconciler re-added it) while the run goes on here: that run records it
      this.logger.warn(
        `job ${jobId}: its queue entry came back while its engine (${job.schedulerId}) still runs on this node; leaving that run to finish`,
      );
      return 'skipped';
    }
    if (job.status !== JobStatus.Queued) {
      // a pool died mid-run (stalled job came back): start over
      await this.transitions.transition(jobId, JobStatus.Queued, {
        actor,
        message: 'previous run lost; running again',
      });
    }
    if (!(await this.runningQuota.dispatch(job, { actor, message: `taken by the ${this.executor.name} executor` })))
      throw new RunDeferred(RUNNING_QUOTA_RETRY_MS);

    await rm(workdir, { recursive: true, force: true });
    await mkdir(workdir, { recursive: true });
    try {
      const manifest = await this.stageInputs(jobId, workdir);
      const result = await this.execute(job, manifest, workdir, context);
      // the engine has run: PostgreSQL or Redis being away now must not make it run again
      return await untilAvailable(
        () => this.finish(job, manifest, workdir, result, actor),
        RESULT_PATIENCE_MS,
        (err) => this.logger.warn(`job ${job.id}: ran; waiting to record its results: ${err.message}`),
      );
    } finally {
      await rm(workdir, { recursive: true, force: true });
    }
  }

  private async stageInputs(jobId: string, workdir: string): Promise<DeckManifest> {
    const inputs = await this.dataSource.getRepository(Artifact).findBy({ jobId, kind: 'input' });
    let manifest: Buffer | undefined;
    for (const a of inputs) {
      const body = await this.storage.read(a.storageKey);
      await writeFile(join(workdir, a.name), body);
      if (a.name === 'job.json') manifest = body;
    }
    if (!manifest) throw new Error(`job ${jobId} has no job.json input`);
    return JSON.parse(manifest.toString('utf8')) as DeckManifest;
  }

  private async execute(job: Job, manifest: DeckManifest, workdir: string, context: RunContext): Promise<RunResult> {
    const abort = new AbortController();
    const onShutdown = () => abort.abort(context.signal.reason);
    context.signal.addEventListener('abort', onShutdown, { once: true });
    const cancelWatch = setInterval(() => {
      void this.dataSource
        .query('SELECT status FROM jobs WHERE id = $1', [job.id])
        .then(([row]) => row?.status === JobStatus.Cancelled && abort.abort(CANCELLED_BY_USER))
        .catch(() => undefined);
    }, CANCEL_POLL_MS);
    let lastWrite = 0;
    let started: Promise<unknown> = Promise.resolve();
    try {
      const result = await this.executor.run(manifest, workdir, {
        signal: abort.signal,
        onStarted: (schedulerId, description) => {
          this.logger.log(`job ${job.id}: ${manifest.command.program} launched as ${schedulerId}`);
          started = this.transitions
            .transition(job.id, JobStatus.Running, {
              actor: context.actor,
              message: `${manifest.command.program} started (${description})`,
              patch: { schedulerId },
            })
            .catch((err) => this.logger.warn(`job ${job.id}: ${(err as Error).message}`));
        },
        onProgress: (fraction) => {
          // the queue entry may be gone (Redis lost it): a rejected mirror must not float unhandled
          Promise.resolve()
            .then(() => context.reportProgress?.(fraction))
            .catch((err: Error) =>
              this.logger.warn(`job ${job.id}: progress not mirrored to its queue entry: ${err.message}`),
            );
          if (Date.now() - lastWrite < PROGRESS_WRITE_MS) return;
          lastWrite = Date.now();
          void this.dataSource
            .query(`UPDATE jobs SET progress = $2 WHERE id = $1 AND status = 'RUNNING'`, [job.id, fraction])
            .catch(() => undefined);
        },
      });
      await started;
      return result;
    } finally {
      clearInterval(cancelWatch);
      context.signal.removeEventListener('abort', onShutdown);
    }
  }

  private async finish(
    job: Job,
    manifest: DeckManifest,
    workdir: string,
    result: RunResult,
    actor: string,
  ): Promise<RunOutcome> {
    if (result.state === 'CANCELLED') {
      const [row] = await this.dataSource.query('SELECT status FROM jobs WHERE id = $1', [job.id]);
      if (row?.status === JobStatus.Cancelled) return 'cancelled';
      throw new Error('run interrupted: the pool is shutting down'); // handed back already
    }
    if (result.state === 'REQUEUE') {
      // back in the queue with the reason in its timeline; the failed attempt makes BullMQ retry it after its backoff, a bounded number of times
      await this.transitions.transition(job.id, JobStatus.Queued, {
        actor,
        message: `requeued: ${result.message}`,
        patch: { schedulerId: null },
      });
      throw new Error(result.message ?? 'requeued by the cluster');
    }
    if (result.state !== 'COMPLETED') {
      await this.ensureRunning(job.id, actor);
      await this.transitions.transition(job.id, JobStatus.Failed, {
        actor,
        message: result.message ?? result.state,
        patch: { error: result.message },
      });
      return 'failed';
    }
    const [now] = await this.dataSource.query('SELECT status FROM jobs WHERE id = $1', [job.id]);
    if (now?.status === JobStatus.Uploading) {
      // recorded by an earlier try whose enqueue failed: only the upload entry is missing
      await this.pipeline.enqueue([{ ...job, status: JobStatus.Uploading }]);
      return 'uploading';
    }
    const inputs = new Set([...manifest.inputs, 'job.json']);
    const outputs = result.files.filter((f) => !inputs.has(f.name) && STORABLE_NAME.test(f.name));
    await this.stageOutputs(job.id, workdir, outputs);
    await this.ensureRunning(job.id, actor);
    await this.pipeline.advance(job.id, JobStatus.Uploading, {
      actor,
      message: `run finished; ${outputs.length} file(s) staged`,
      patch: { progress: 1 },
    });
    return 'uploading';
  }

  /** The run's entry failed for good (not for a service being away: see WorkerRunner): the job ends FAILED with the reason. */
  async fail(jobId: string, error: Error, actor: string): Promise<void> {
    const [row] = await this.dataSource.query('SELECT status FROM jobs WHERE id = $1', [jobId]);
    if (![JobStatus.Queued, JobStatus.Dispatched, JobStatus.Running].includes(row?.status)) return;
    const message = `run failed: ${error.message}`.slice(0, 1_000);
    await this.transitions.transition(jobId, JobStatus.Failed, { actor, message, patch: { error: message } });
  }

  /** A run so short that its start was not yet recorded still passes through RUNNING. */
  private async ensureRunning(jobId: string, actor: string): Promise<void> {
    const [row] = await this.dataSource.query('SELECT status FROM jobs WHERE id = $1', [jobId]);
    if (row?.status === JobStatus.Dispatched)
      await this.transitions.transition(jobId, JobStatus.Running, { actor, message: 'started' });
  }

  private async stageOutputs(jobId: string, workdir: string, files: ProducedFile[]): Promise<void> {
    for (const f of files)
      await this.storage.put(jobKeys.staging(jobId, f.name), createReadStream(join(workdir, f.name)));
    await this.storage.put(
      jobKeys.stagingManifest(jobId),
      Buffer.from(`${JSON.stringify({ jobId, files }, null, 2)}\n`),
    );
  }
}
