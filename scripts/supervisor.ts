import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';

/** One supervised process: a node entry point with its arguments and environment. */
export interface ChildSpec {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Where its output goes (default: this process's). */
  stdio?: StdioOptions;
}

interface Child extends ChildSpec {
  process?: ChildProcess;
  restarts: number;
  startedAt: number;
}

/** A child that ran this long before dying is restarted as if for the first time. */
const HEALTHY_RUN_MS = 60_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * Keeps node processes running: a child that exits is started again after a backoff
 * (1 s, 2 s, 4 s … 30 s; back to 1 s once a run lasted a minute), until stop().
 */
export class Supervisor {
  private readonly children = new Map<string, Child>();
  private stopping?: Promise<void>;

  constructor(private readonly say: (line: string) => void = (line) => void process.stderr.write(`${line}\n`)) {}

  start(spec: ChildSpec): void {
    const child: Child = { ...spec, restarts: 0, startedAt: 0 };
    this.children.set(spec.name, child);
    this.launch(child);
  }

  names(): string[] {
    return [...this.children.keys()];
  }

  pid(name: string): number | undefined {
    return this.children.get(name)?.process?.pid;
  }

  /** Sends a signal to one child (the supervisor restarts it unless stopping). */
  signal(name: string, signal: NodeJS.Signals): boolean {
    const proc = this.children.get(name)?.process;
    return proc ? proc.kill(signal) : false;
  }

  /** Resolves once the named child runs again under a new pid (after a kill). */
  async restarted(name: string, previousPid: number | undefined, timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const pid = this.pid(name);
      if (pid !== undefined && pid !== previousPid) return pid;
      if (Date.now() > deadline) throw new Error(`${name} was not restarted within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Signals every child and resolves when all have exited. */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    this.stopping ??= this.stopAll(signal);
    return this.stopping;
  }

  private async stopAll(signal: NodeJS.Signals): Promise<void> {
    const running = [...this.children.values()]
      .map((c) => c.process)
      .filter((p): p is ChildProcess => !!p && p.exitCode === null && p.signalCode === null);
    await Promise.all(
      running.map(
        (p) =>
          new Promise<void>((resolve) => {
            p.once('exit', () => resolve());
            p.kill(signal);
          }),
      ),
    );
  }

  private launch(child: Child): void {
    const proc = spawn(process.execPath, child.args, { stdio: child.stdio ?? 'inherit', env: child.env });
    child.process = proc;
    child.startedAt = Date.now();
    proc.on('exit', (code, signal) => {
      if (child.process === proc) child.process = undefined;
      if (this.stopping) return;
      if (Date.now() - child.startedAt > HEALTHY_RUN_MS) child.restarts = 0;
      const wait = Math.min(1_000 * 2 ** child.restarts, MAX_BACKOFF_MS);
      child.restarts += 1;
      this.say(`molq: ${child.name} exited (${signal ?? code}); restarting in ${wait} ms`);
      setTimeout(() => !this.stopping && this.launch(child), wait);
    });
  }
}
