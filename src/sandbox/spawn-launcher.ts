import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** One spawn asked of the launcher: the command as LocalSandbox.launch built it, the run's output files by path. */
export interface LaunchRequest {
  id: number;
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  uid?: number;
  gid?: number;
  /** The run's stdout and stderr files (created, truncated); fd3: a file handed to the command read-only (the seccomp program). */
  stdout: string;
  stderr: string;
  fd3?: string;
}

/** The launcher's answers: the process started (its pid: its process group), could not start, or exited. */
export type LaunchReply =
  | { id: number; pid: number }
  | { id: number; error: string; code?: string }
  | { id: number; exit: number | null; signal: NodeJS.Signals | null };

/** A process the launcher started: its pid (and process group), and how it ended. */
export interface LaunchedProcess {
  pid: number;
  exited: Promise<{ code: number | null; error?: Error }>;
}

interface Pending {
  started: (pid: number) => void;
  failed: (error: Error) => void;
  exited: (ended: { code: number | null; error?: Error }) => void;
}

/** The compiled launcher beside this file; from the TypeScript source (jest), the build's copy. */
function launcherFile(): string {
  const beside = join(__dirname, 'spawn-launcher.main.js');
  if (existsSync(beside)) return beside;
  const built = resolve(__dirname, '../../dist/src/sandbox/spawn-launcher.main.js');
  if (existsSync(built)) return built;
  throw new Error(`spawn-launcher: no compiled launcher at ${beside} or ${built} (npm run build)`);
}

/**
 * Spawns a pool's engines from a small process of its own (spawn-launcher.main.ts), started on first
 * use: forking from the pool itself cost ~7 ms of the pool's CPU per run, growing with its memory
 * (docs/benchmarks.md). The launcher dies with its pool (its IPC channel closes) and takes the
 * engines it started with it; if it dies, runs it held end as failed and the next run starts a new one.
 */
export class SpawnLauncher {
  private process?: ChildProcess;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  spawn(request: Omit<LaunchRequest, 'id'>): Promise<LaunchedProcess> {
    const launcher = this.launcher();
    const id = this.nextId++;
    return new Promise((resolveStart, rejectStart) => {
      let exited!: (ended: { code: number | null; error?: Error }) => void;
      const ended = new Promise<{ code: number | null; error?: Error }>((r) => (exited = r));
      this.pending.set(id, {
        started: (pid) => resolveStart({ pid, exited: ended }),
        failed: (error) => {
          this.pending.delete(id);
          rejectStart(error);
        },
        exited: (result) => {
          this.pending.delete(id);
          exited(result);
        },
      });
      launcher.send({ ...request, id } satisfies LaunchRequest);
    });
  }

  /** Ends the launcher (and so whatever it still runs). */
  close(): void {
    this.process?.disconnect();
    this.process = undefined;
  }

  private launcher(): ChildProcess {
    if (this.process?.connected) return this.process;
    const child = fork(launcherFile(), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    child.on('message', (reply: LaunchReply) => this.route(reply));
    child.once('exit', () => this.lost(child));
    child.unref(); // the pool's exit is the launcher's signal to go, not something to wait for
    (child as ChildProcess & { channel?: { unref(): void } }).channel?.unref();
    this.process = child;
    return child;
  }

  private route(reply: LaunchReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    if ('pid' in reply) pending.started(reply.pid);
    else if ('error' in reply) {
      const error = Object.assign(new Error(reply.error), { code: reply.code });
      pending.failed(error);
      pending.exited({ code: null, error });
    } else pending.exited({ code: reply.exit });
  }

  /** The launcher ended: every run it held ends with an error (their engines died with it). */
  private lost(child: ChildProcess): void {
    if (this.process === child) this.process = undefined;
    const error = new Error("the pool's engine launcher ended");
    for (const pending of [...this.pending.values()]) {
      pending.failed(error);
      pending.exited({ code: null, error });
    }
    this.pending.clear();
  }
}
