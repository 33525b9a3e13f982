import { Inject, Injectable, Logger } from '@nestjs/common';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { WorkerConfig } from '../config/worker.config';
import { CANCELLED_BY_USER, type Executor, type ProducedFile } from '../executor/executor';
import { runCompleted, runFailed, type RunOutcome } from '../executor/run-outcome';
import { JobStatus } from '../jobs/job-status';
import type { Job } from '../jobs/job.entity';
import { JobStore } from '../jobs/job-store';
import { untilAvailable } from '../common/unavailable';
import { RUNNING_QUOTA_RETRY_MS, RunDeferred } from '../quotas/running-quota';
import { STORABLE_NAME, streamWorkdirFile } from '../executor/workdir-files';
import { outputsProblem } from '../executor/workdir-usage';
import type { DeckManifest } from '../rendering/deck';
import { jobKeys } from '../storage/job-keys';
import { Storage } from '../storage/storage';
import { OUT_FOR_RUN } from '../jobs/job-routing';
import { CancelWatch } from './cancel-watch';
import { RunLifecycle, type RunStep } from './run-lifecycle';

export const EXECUTOR = Symbol('EXECUTOR');

/** What a pool's run of a job came to (the entry's result): a step of the lifecycle, or skipped before it ran. */
export type RunResultStep = Extract<RunStep, 'uploading' | 'cancelled' | 'skipped'>;

/**
 * The run ended its job FAILED, with this message as its error (the engine failed, its walltime ran
 * out, its outputs broke the limits): the job's own failure, recorded already, nothing to try again.
 */
export class RunFailed extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'RunFailed';
  }
}

export interface RunContext {
  /** Aborted when the pool shuts down past its grace period (the job was handed back). */
  signal: AbortSignal;
  /** Mirrors progress onto the queue entry (Bull Board). */
  reportProgress?: (fraction: number) => Promise<void> | void;
  actor: string;
  /** Whether the run's entry has attempts left (a run the cluster failed goes back to QUEUED only then). */
  attemptsLeft: boolean;
  /** This pool's fairness (OwnerSlots): a release when the owner may take one more slot, null when not. */
  claimSlot?: (ownerId: string) => (() => void) | null;
}

/** How long a job of an engine this pool lacks waits in delayed before a pool looks at it again. */
const ENGINE_ABSENT_RETRY_MS = 5_000;
/** How long a job whose owner holds its share of the pool waits in delayed before it is looked at again. */
const OWNER_SLOTS_RETRY_MS = 1_000;
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
    private readonly jobs: JobStore,
    private readonly lifecycle: RunLifecycle,
    private readonly storage: Storage,
    private readonly cancels: CancelWatch,
    @Inject(EXECUTOR) private readonly executor: Executor,
    @Inject(WorkerConfig) private readonly config: WorkerConfig,
  ) {}

  /** Runs the job; throws RunFailed when the run ended it FAILED (see RunFailed). */
  async run(jobId: string, context: RunContext): Promise<RunResultStep> {
    const job = await this.jobs.get(jobId);
    if (!job || !OUT_FOR_RUN.includes(job.status)) return 'skipped';
    const workdir = resolve(this.config.WORK_DIR, jobId);
    if (job.status === JobStatus.Running && (await this.executor.stillRunning?.(job.schedulerId, workdir))) {
      // the entry came back (Redis lost it; the reconciler re-added it) while the run goes on here: that run records it
      this.logger.warn(
        `job ${jobId}: its queue entry came back while its engine (${job.schedulerId}) still runs on this node; leaving that run to finish`,
      );
      return 'skipped';
    }
    // a job of an engine this pool does not run (Gaussian where g16 is absent) waits for a pool or bridge that does
    if (!this.executor.takes(job.engine))
      throw new RunDeferred(ENGINE_ABSENT_RETRY_MS, `this pool does not run ${job.engine}`);
    const release = context.claimSlot ? context.claimSlot(job.ownerId) : () => undefined;
    if (!release) throw new RunDeferred(OWNER_SLOTS_RETRY_MS, "the owner's jobs hold their share of this pool", true);
    try {
      return await this.dispatchAndRun(job, workdir, context);
    } finally {
      release();
    }
  }

  private async dispatchAndRun(job: Job, workdir: string, context: RunContext): Promise<RunResultStep> {
    const { actor } = context;
    const jobId = job.id;
    // a job still DISPATCHED/RUNNING: a pool died mid-run (the stalled entry came back), so it starts over
    const taken = `taken by the ${this.executor.name} executor`;
    if (!(await this.lifecycle.dispatch(job, actor, taken, 'previous run lost; running again')))
      throw new RunDeferred(RUNNING_QUOTA_RETRY_MS);

    await rm(workdir, { recursive: true, force: true });
    await mkdir(workdir, { recursive: true });
    try {
      const manifest = await this.stageInputs(jobId, workdir);
      const outcome = this.accepted(await this.execute(job, manifest, workdir, context), manifest);
      // the engine has run: PostgreSQL or Redis being away now must not make it run again
      const step = await untilAvailable(
        () =>
          this.lifecycle.ended(job, outcome, actor, {
            attemptsLeft: context.attemptsLeft,
            stage: outcome.kind === 'completed' ? () => this.stageOutputs(job.id, workdir, outcome.files) : undefined,
          }),
        RESULT_PATIENCE_MS,
        (err) => this.logger.warn(`job ${job.id}: ran; waiting to record its results: ${err.message}`),
      );
      if (step === 'failed') throw new RunFailed(outcome.kind === 'failed' ? outcome.reason : 'failed');
      if (step === 'retry') throw new Error(outcome.kind === 'failed' ? outcome.reason : 'requeued by the cluster');
      if (step === 'handed-back') throw new Error('run interrupted: the pool is shutting down'); // handed back already
      return step;
    } finally {
      await rm(workdir, { recursive: true, force: true });
    }
  }

  private async stageInputs(jobId: string, workdir: string): Promise<DeckManifest> {
    const { files, manifest } = await this.lifecycle.inputs(jobId);
    if (!manifest) throw new Error(`job ${jobId} has no job.json input`);
    for (const a of files) await writeFile(join(workdir, a.name), await this.storage.read(a.storageKey));
    return this.withinWalltimeCeiling(manifest);
  }

  /** A job queued before the operator lowered WALLTIME_MAX_MINUTES_* runs within the ceiling all the same. */
  private withinWalltimeCeiling(manifest: DeckManifest): DeckManifest {
    const ceiling =
      manifest.engine === 'lammps' ? this.config.WALLTIME_MAX_MINUTES_MD : this.config.WALLTIME_MAX_MINUTES_QC;
    if (manifest.resources.walltimeMinutes <= ceiling) return manifest;
    return { ...manifest, resources: { ...manifest.resources, walltimeMinutes: ceiling } };
  }

  private async execute(job: Job, manifest: DeckManifest, workdir: string, context: RunContext): Promise<RunOutcome> {
    const abort = new AbortController();
    const onShutdown = () => abort.abort(context.signal.reason);
    context.signal.addEventListener('abort', onShutdown, { once: true });
    // pushed by PostgreSQL (NOTIFY), not polled: see CancelWatch
    const unwatch = this.cancels.watch(job.id, () => abort.abort(CANCELLED_BY_USER));
    let lastWrite = 0;
    let started: Promise<unknown> = Promise.resolve();
    try {
      const result = await this.executor.run(manifest, workdir, {
        signal: abort.signal,
        onStarted: (schedulerId, description) => {
          this.logger.log(`job ${job.id}: ${manifest.command.program} launched as ${schedulerId}`);
          started = this.lifecycle
            .started(job.id, context.actor, `${manifest.command.program} started (${description})`, schedulerId)
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
          void this.lifecycle.progress(job.id, fraction).catch(() => undefined);
        },
      });
      await started;
      return result;
    } finally {
      unwatch();
      context.signal.removeEventListener('abort', onShutdown);
    }
  }

  /** A completed run's outputs as this pool keeps them (inputs and unstorable names left out), or a failure when they break the limits. */
  private accepted(outcome: RunOutcome, manifest: DeckManifest): RunOutcome {
    if (outcome.kind !== 'completed') return outcome;
    const inputs = new Set([...manifest.inputs, 'job.json']);
    const outputs = outcome.files.filter((f) => !inputs.has(f.name) && STORABLE_NAME.test(f.name));
    const tooMuch = outputsProblem(outputs, {
      files: this.config.SANDBOX_MAX_OUTPUT_FILES,
      bytes: this.config.SANDBOX_MAX_OUTPUT_MB * 2 ** 20,
    });
    return tooMuch ? runFailed(tooMuch) : runCompleted(outputs);
  }

  /** The run's entry failed for good (not for a service being away: see WorkerRunner): the job ends FAILED with the reason. */
  async fail(jobId: string, error: Error, actor: string): Promise<void> {
    await this.lifecycle.failed(jobId, actor, `run failed: ${error.message}`.slice(0, 1_000));
  }

  private async stageOutputs(jobId: string, workdir: string, files: ProducedFile[]): Promise<void> {
    for (const f of files)
      await this.storage.put(jobKeys.staging(jobId, f.name), await streamWorkdirFile(workdir, f.name));
  }
}
