import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import Redis from 'ioredis';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A redis-server of the test's own, on a port of its own, that the test may stop and restart.
 * Without a directory it keeps nothing (a restart comes back empty); with one, appendOnly()
 * turns on the AOF there and a restart reads it back.
 */
export class OwnRedis {
  private proc?: ChildProcess;
  private aof = false;

  constructor(
    readonly port: number,
    private readonly dir?: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const persistence = this.dir
      ? ['--dir', this.dir, '--appendonly', this.aof ? 'yes' : 'no']
      : ['--appendonly', 'no'];
    this.proc = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence],
      {
        stdio: 'ignore',
      },
    );
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis(this.port, '127.0.0.1', {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      try {
        await probe.connect();
        await probe.ping();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not start`);
        await new Promise((r) => setTimeout(r, 100));
      } finally {
        probe.disconnect();
      }
    }
  }

  /** Turns the AOF on in the running server (fsync every second) and waits for its first rewrite. */
  async appendOnly(): Promise<void> {
    if (!this.dir) throw new Error('OwnRedis: appendOnly() needs a directory');
    const admin = new Redis(this.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    try {
      await admin.config('SET', 'appendonly', 'yes');
      await admin.config('SET', 'appendfsync', 'everysec');
      for (;;) {
        const info = await admin.info('persistence');
        if (
          /aof_enabled:1/.test(info) &&
          /aof_rewrite_in_progress:0/.test(info) &&
          /aof_rewrite_scheduled:0/.test(info)
        )
          break;
        await new Promise((r) => setTimeout(r, 100));
      }
      this.aof = true;
    } finally {
      admin.disconnect();
    }
  }

  /** SIGKILL: what the server had not written to its AOF is lost, as in a crash. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
    this.proc = undefined;
  }
}
