import { Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import { localPidOn, localSchedulerId } from './scheduler-id';
import { readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeckManifest } from '../rendering/deck';
import type { LocalSandbox } from '../sandbox/local-sandbox';
import { engineDiagnosis } from './engine-diagnosis';
import { installedEngines, resolveEngine, type EngineBinaries } from './engine-binaries';
import type { EngineOffer } from '../engines/engine-offers';
import type { Engine } from '../jobs/job-status';
import type { Executor, RunOptions } from './executor';
import { runCancelled, runCompleted, runFailed, type RunOutcome } from './run-outcome';
import { listWorkdirFiles } from './workdir-files';
import { usageProblem, workdirUsage } from './workdir-usage';
import { readUntrusted, tailUntrusted } from './untrusted-file';
import { engineProgress, lammpsScriptOf, lammpsTotalSteps, progressLogOf } from './progress';

const PROGRESS_EVERY_MS = 500;
const DISK_CHECK_MS = 2_000;

/** What one run may leave in its work dir (SANDBOX_MAX_OUTPUT_FILES, SANDBOX_MAX_OUTPUT_MB). */
export interface OutputLimits {
  outputFiles: number;
  outputBytes: number;
}
export const DEFAULT_OUTPUT_LIMITS: OutputLimits = { outputFiles: 500, outputBytes: 8_192 * 2 ** 20 };
const TAIL_BYTES = 64 * 1024;
/** The largest input script read for its step count (the screen's limit). */
const MAX_SCRIPT_BYTES = 1024 * 1024;
/** After SIGTERM to the group, how long before SIGKILL. */
const KILL_GRACE_MS = 1_000;

/**
 * Runs the engine inside the sandbox (bubblewrap: the work dir is all it sees) as a child process
 * group of its own, stdout/stderr captured to files, the walltime enforced and cancellation killing
 * the whole group; the sandbox dies with the pool. The engine gets a cleared environment.
 */
export class LocalExecutor implements Executor {
  readonly name = 'local';
  private readonly logger = new Logger(LocalExecutor.name);
  constructor(
    private readonly binaries: EngineBinaries,
    private readonly sandbox: LocalSandbox,
    private readonly limits: OutputLimits = DEFAULT_OUTPUT_LIMITS,
    /** What the sandbox probe saw each engine print (its version), by engine. */
    private readonly probed: ReadonlyMap<Engine, string> = new Map(),
  ) {
    this.atStart = new Set(installedEngines(binaries, probed).map((o) => o.engine));
  }

  /** The engines installed when the pool started. */
  private readonly atStart: ReadonlySet<Engine>;

  /** The engines installed here now (a binary removed since the pool started is no longer offered). */
  engines(): EngineOffer[] {
    return installedEngines(this.binaries, this.probed);
  }

  takes(engine: Engine): boolean {
    return this.atStart.has(engine);
  }

  async run(manifest: DeckManifest, workdir: string, options: RunOptions): Promise<RunOutcome> {
    const { command, resources } = manifest;
    const resolved = resolveEngine(command.program, this.binaries);
    if ('error' in resolved) {
      this.logger.error(`job ${manifest.jobId}: ${resolved.detail}`); // the paths tried: for the operator only
      return runFailed(resolved.error);
    }
    if (options.signal.aborted) return runCancelled('cancelled before start');
    if (manifest.userScript && !this.sandbox.confines)
      return runFailed('uploaded scripts run only in a sandbox, and this pool has SANDBOX=none');

    await this.sandbox.prepare(workdir);
    const run = await this.sandbox.start({
      enginePath: resolved.path,
      args: command.args,
      workdir,
      env: { OMP_NUM_THREADS: String(resources.tasks), OMP_STACKSIZE: '1G', OMP_MAX_ACTIVE_LEVELS: '1' },
      resources,
      output: { stdout: join(workdir, 'stdout.log'), stderr: join(workdir, 'stderr.log') },
    });
    const { pid } = run;
    if (pid) options.onStarted?.(localSchedulerId(hostname(), pid), `pid ${pid}`);

    let stopReason: 'FAILED' | 'CANCELLED' | 'TIMEOUT' | null = null;
    let stopMessage: string | null = null;
    const killGroup = (reason: NonNullable<typeof stopReason>, message: string | null = null) => {
      if (stopReason || !pid) return;
      stopReason = reason;
      stopMessage = message;
      const signalGroup = (sig: NodeJS.Signals) => {
        try {
          process.kill(-pid, sig);
        } catch {
          // already gone
        }
      };
      signalGroup('SIGTERM');
      setTimeout(() => signalGroup('SIGKILL'), KILL_GRACE_MS).unref();
    };
    const onAbort = () => killGroup('CANCELLED');
    options.signal.addEventListener('abort', onAbort, { once: true });
    const walltimeMs = resources.walltimeMinutes * 60_000;
    const walltime = setTimeout(() => killGroup('TIMEOUT'), walltimeMs);
    const progress = this.watchProgress(manifest, workdir, options.onProgress);
    const disk = this.watchDisk(workdir, (problem) => killGroup('FAILED', problem));

    const { code, error } = await run.exited;
    clearTimeout(walltime);
    clearInterval(progress);
    clearInterval(disk);
    options.signal.removeEventListener('abort', onAbort);
    const { outOfMemory } = await run.ended();

    if (stopReason === 'FAILED') return runFailed(stopMessage!);
    if (outOfMemory && stopReason === null)
      return runFailed(
        `memory limit of ${this.sandbox.memoryFor(resources) / 2 ** 20} MiB exceeded (resources.memoryMb): the engine was killed`,
      );
    if (stopReason === 'CANCELLED') return runCancelled('cancelled: the engine process group was killed');
    if (stopReason === 'TIMEOUT')
      return runFailed(`walltime of ${resources.walltimeMinutes} min exceeded: the engine was stopped`);
    if (error) {
      this.logger.error(`job ${manifest.jobId}: could not start ${resolved.path}: ${error.message}`);
      const code = (error as NodeJS.ErrnoException).code ?? 'spawn failed';
      return runFailed(`engine ${manifest.engine}: could not start ${command.program} on this pool (${code})`);
    }
    if (code === 0) return runCompleted(await listWorkdirFiles(workdir));
    const logs = [manifest.engine === 'lammps' ? 'log.lammps' : null, 'stderr.log', 'stdout.log'].filter(
      (n): n is string => n !== null,
    );
    const texts = await Promise.all(logs.map((n) => tailUntrusted(join(workdir, n), 8_192)));
    const detail = engineDiagnosis(texts);
    return runFailed(`${command.program} exited with code ${code}${detail ? `: ${detail}` : ''}`);
  }

  /**
   * The engine a `local:<host>:<pid>` id names is alive on this node and is this job's: the process
   * has the job's work dir in its command line (bubblewrap binds it) or as its working directory
   * (SANDBOX=none). A recycled pid belongs to another process and fails both. (A pool's engines die
   * with it, so an engine alive here has a pool that will record it.)
   */
  async stillRunning(schedulerId: string | null, workdir: string): Promise<boolean> {
    const pid = localPidOn(hostname(), schedulerId);
    if (pid === null) return false;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').includes(workdir)) return true;
    return (await readlink(`/proc/${pid}/cwd`).catch(() => null)) === workdir;
  }

  /** Every DISK_CHECK_MS: the work dir's allocated bytes and entries against the pool's limits; `over` once past. */
  private watchDisk(workdir: string, over: (problem: string) => void): NodeJS.Timeout {
    const limits = { entries: this.limits.outputFiles * 4, bytes: this.limits.outputBytes };
    let busy = false;
    return setInterval(() => {
      if (busy) return;
      busy = true;
      void workdirUsage(workdir, limits)
        .then((usage) => {
          const problem = usageProblem(usage, limits);
          if (problem) over(problem);
        })
        .catch(() => undefined) // the work dir went away: the run is ending
        .finally(() => (busy = false));
    }, DISK_CHECK_MS);
  }

  private watchProgress(manifest: DeckManifest, workdir: string, report: (fraction: number) => void): NodeJS.Timeout {
    let last = 0;
    let totalSteps: Promise<number> | undefined;
    const read = async (): Promise<number | null> => {
      const script = lammpsScriptOf(manifest.command);
      totalSteps ??= script
        ? readUntrusted(join(workdir, script), MAX_SCRIPT_BYTES).then((b) =>
            b ? lammpsTotalSteps(b.toString('utf8')) : 0,
          )
        : Promise.resolve(0);
      return engineProgress(
        manifest.engine,
        await tailUntrusted(join(workdir, progressLogOf(manifest.engine)), TAIL_BYTES),
        await totalSteps,
      );
    };
    return setInterval(() => {
      void read().then((fraction) => {
        if (fraction !== null && fraction > last) {
          last = fraction;
          report(fraction);
        }
      });
    }, PROGRESS_EVERY_MS);
  }
}
