import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineOffer } from '../engines/engine-offers';
import type { Engine } from '../jobs/job-status';
import type { DeckManifest } from '../rendering/deck';
import { SandboxBrokenError } from '../sandbox/local-sandbox';
import { connectSlurm } from '../slurm/connect-slurm';
import { ClusterRefusedError } from '../slurm/sbatch-script';
import type { SlurmClusterConfig } from '../slurm/slurm-cluster.config';
import type { SlurmDriver, SlurmJobStatus } from '../slurm/slurm-driver';
import { SlurmPoller } from '../slurm/slurm-poller';
import type { SshConnection } from '../slurm/ssh-connection';
import { CANCELLED_BY_USER, type Executor, type RunOptions } from './executor';
import { runCancelled, runCompleted, runFailed, type RunOutcome } from './run-outcome';
import { totalStepsOf } from './progress';
import { slurmEnding } from '../slurm/slurm-ending';
import { listWorkdirFiles } from './workdir-files';

/** Cycles in a row in which Slurm knows nothing of the job before the run is called lost. */
const UNKNOWN_CYCLES_BEFORE_LOST = 10;

const aborted = (signal: AbortSignal) =>
  new Promise<'aborted'>((resolve) =>
    signal.aborted ? resolve('aborted') : signal.addEventListener('abort', () => resolve('aborted'), { once: true }),
  );

/**
 * Runs a job on a Slurm cluster reached over SSH (executor `slurm` of an md/qc pool): the same
 * driver as the campus bridge. Submits idempotently by job name (a handed-back job re-attaches to
 * its Slurm job), follows it through the process's shared poller, reports progress from the
 * remote log, scancels on a user's cancel, and on success copies the job's files back into the
 * local working directory, from where the run service stages them like a local run's.
 */
export class SlurmExecutor implements Executor {
  readonly name = 'slurm';
  private offers: EngineOffer[] = [];

  constructor(
    private readonly slurm: SlurmDriver,
    private readonly poller: SlurmPoller,
    private readonly ssh?: SshConnection,
  ) {}

  /** An executor with its own SSH connection and poller, from the pool's validated cluster settings. */
  static connect(cluster: SlurmClusterConfig, pollMs: number): SlurmExecutor {
    const { ssh, slurm } = connectSlurm(cluster);
    return new SlurmExecutor(slurm, new SlurmPoller(slurm, pollMs), ssh);
  }

  /** Fails (SandboxBrokenError) when the cluster's configured sandbox does not run on its login node. */
  async probeSandbox(): Promise<void> {
    try {
      await this.slurm.probeSandbox();
    } catch (err) {
      throw new SandboxBrokenError((err as Error).message);
    }
  }

  /** Asks the cluster which engines it can run (the pool publishes them in the engine registry). */
  async probeEngines(): Promise<void> {
    this.offers = await this.slurm.engines();
  }

  engines(): EngineOffer[] {
    return this.offers;
  }

  takes(engine: Engine): boolean {
    return this.offers.some((o) => o.engine === engine);
  }

  /** Nest calls this when the pool stops (after its workers have closed). */
  onModuleDestroy(): void {
    this.poller.stop();
    this.ssh?.close();
  }

  async run(manifest: DeckManifest, workdir: string, options: RunOptions): Promise<RunOutcome> {
    if (options.signal.aborted) return runCancelled('cancelled before submission');
    const inputs = await Promise.all(
      manifest.inputs.map(async (name) => ({ name, content: await readFile(join(workdir, name)) })),
    );
    let schedulerId: string;
    try {
      ({ schedulerId } = await this.slurm.submit(manifest, inputs));
    } catch (err) {
      if (err instanceof ClusterRefusedError) return runFailed(err.message);
      throw err;
    }
    const totalSteps = totalStepsOf(manifest.command, inputs);
    const stop = aborted(options.signal);

    let started = false;
    let unknown = 0;
    let last = 0;
    for (;;) {
      const next = await Promise.race([this.poller.next(schedulerId).catch((err: Error) => err), stop]);
      if (next === 'aborted') return this.abandon(schedulerId, options.signal);
      if (next instanceof Error) continue; // SSH trouble: the connection reconnects with backoff; ask again next cycle
      if (next === undefined) {
        if (++unknown >= UNKNOWN_CYCLES_BEFORE_LOST) return runFailed(`Slurm no longer knows job ${schedulerId}`);
        continue;
      }
      unknown = 0;
      if (!started && next.phase !== 'waiting') {
        started = true;
        options.onStarted?.(this.slurm.qualify(schedulerId), `Slurm job ${schedulerId}`);
      }
      if (next.phase === 'running') {
        const fraction = await this.slurm.progress(manifest.jobId, manifest.engine, totalSteps);
        if (fraction !== null && fraction > last) options.onProgress((last = fraction));
        continue;
      }
      if (next.phase !== 'waiting') return this.ended(manifest.jobId, next, workdir);
    }
  }

  /** A user's cancel becomes scancel; a pool shutting down leaves the Slurm job running for the re-run to re-attach to. */
  private async abandon(schedulerId: string, signal: AbortSignal): Promise<RunOutcome> {
    if (signal.reason !== CANCELLED_BY_USER)
      return runCancelled(`let go of Slurm job ${schedulerId}: it keeps running`);
    await this.slurm.cancel(schedulerId);
    return runCancelled(`cancelled: scancel ${schedulerId} sent`);
  }

  private async ended(jobId: string, status: SlurmJobStatus, workdir: string): Promise<RunOutcome> {
    const ending = (await slurmEnding(this.slurm, jobId, status))!;
    if (ending !== 'completed') return ending;
    for (const name of await this.slurm.outputNames(jobId))
      await writeFile(join(workdir, name), await this.slurm.readOutput(jobId, name));
    return runCompleted(await listWorkdirFiles(workdir));
  }
}
