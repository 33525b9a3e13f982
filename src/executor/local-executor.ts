import { spawn } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeckManifest } from '../rendering/deck';
import { resolveEngine, type EngineBinaries } from './engine-binaries';
import type { Executor, RunOptions, RunResult, RunState } from './executor';
import { listWorkdirFiles } from './workdir-files';
import { engineProgress, lammpsScriptOf, lammpsTotalSteps, progressLogOf } from './progress';

const PROGRESS_EVERY_MS = 500;
const TAIL_BYTES = 64 * 1024;
/** After SIGTERM to the group, how long before SIGKILL. */
const KILL_GRACE_MS = 1_000;

async function tail(path: string, bytes = TAIL_BYTES): Promise<string> {
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const start = Math.max(0, size - bytes);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      return buffer.toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}

/** The last line that says what went wrong (LAMMPS "ERROR: …", else the last non-empty line). */
function lastError(text: string): string | null {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.reverse().find((l) => /^ERROR/.test(l) || /error/i.test(l)) ?? lines[0] ?? null;
}

/**
 * Runs the engine as a child process in its own process group, in the job's working
 * directory, with stdout/stderr captured to files, the walltime enforced and cancellation
 * killing the whole group. The child gets a minimal environment: no molq secrets.
 */
export class LocalExecutor implements Executor {
  readonly name = 'local';
  constructor(private readonly binaries: EngineBinaries) {}

  async run(manifest: DeckManifest, workdir: string, options: RunOptions): Promise<RunResult> {
    const { command, resources } = manifest;
    const resolved = resolveEngine(command.program, this.binaries);
    if ('error' in resolved) return { state: 'FAILED', exitCode: null, message: resolved.error, files: await listWorkdirFiles(workdir) };
    if (options.signal.aborted) return { state: 'CANCELLED', exitCode: null, message: 'cancelled before start', files: await listWorkdirFiles(workdir) };

    const stdout = await open(join(workdir, 'stdout.log'), 'w');
    const stderr = await open(join(workdir, 'stderr.log'), 'w');
    const child = spawn(resolved.path, command.args, {
      cwd: workdir,
      detached: true,
      stdio: ['ignore', stdout.fd, stderr.fd],
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: workdir,
        LANG: 'C.UTF-8',
        OMP_NUM_THREADS: String(resources.tasks),
        OMP_STACKSIZE: '1G',
        OMP_MAX_ACTIVE_LEVELS: '1',
      },
    });
    await Promise.all([stdout.close(), stderr.close()]);
    const exited = new Promise<{ code: number | null; error?: Error }>((resolve) => {
      child.once('exit', (code) => resolve({ code }));
      child.once('error', (error) => resolve({ code: null, error }));
    });
    if (child.pid) options.onStarted?.(String(child.pid), `pid ${child.pid}`);

    let stopReason: RunState | null = null;
    const killGroup = (reason: RunState) => {
      if (stopReason || !child.pid) return;
      stopReason = reason;
      const signalGroup = (sig: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, sig);
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

    const { code, error } = await exited;
    clearTimeout(walltime);
    clearInterval(progress);
    options.signal.removeEventListener('abort', onAbort);
    const files = await listWorkdirFiles(workdir);

    if (stopReason === 'CANCELLED') return { state: 'CANCELLED', exitCode: code, message: 'cancelled: the engine process group was killed', files };
    if (stopReason === 'TIMEOUT') return { state: 'TIMEOUT', exitCode: code, message: `walltime of ${resources.walltimeMinutes} min exceeded: the engine was stopped`, files };
    if (error) return { state: 'FAILED', exitCode: null, message: `engine ${manifest.engine}: could not start ${resolved.path}: ${error.message}`, files };
    if (code === 0) return { state: 'COMPLETED', exitCode: 0, message: null, files };
    const log = manifest.engine === 'lammps' ? await tail(join(workdir, 'log.lammps'), 8_192) : '';
    const detail = lastError(log) ?? lastError(await tail(join(workdir, 'stderr.log'), 8_192)) ?? lastError(await tail(join(workdir, 'stdout.log'), 8_192));
    return { state: 'FAILED', exitCode: code, message: `${command.program} exited with code ${code}${detail ? `: ${detail.slice(0, 500)}` : ''}`, files };
  }

  private watchProgress(manifest: DeckManifest, workdir: string, report: (fraction: number) => void): NodeJS.Timeout {
    let last = 0;
    let totalSteps: Promise<number> | undefined;
    const read = async (): Promise<number | null> => {
      const script = lammpsScriptOf(manifest.command);
      totalSteps ??= script ? readFile(join(workdir, script), 'utf8').then(lammpsTotalSteps, () => 0) : Promise.resolve(0);
      return engineProgress(manifest.engine, await tail(join(workdir, progressLogOf(manifest.engine))), await totalSteps);
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
