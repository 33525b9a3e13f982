import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/** Debian's server binaries (initdb and pg_ctl are not on PATH). */
function serverBin(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) if (existsSync(join(root, v, 'bin', name))) return join(root, v, 'bin', name);
  throw new Error(`${name} not found under ${root}: install postgresql`);
}

/**
 * A PostgreSQL cluster of the suite's own (initdb in `dir`, trust auth, its own port and socket
 * directory), run as the postgres account, which a fault suite may stop and start at will
 * without touching the shared server.
 */
export class OwnPostgres {
  private readonly data: string;

  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {
    this.data = join(dir, 'data');
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/molq`;
  }

  async init(): Promise<void> {
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
    const { uid, gid } = this.account();
    chownSync(this.dir, uid, gid);
    this.asPostgres(serverBin('initdb'), [
      '-D',
      this.data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-instructions',
    ]);
    await this.start();
  }

  async start(): Promise<void> {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off`;
    this.asPostgres(serverBin('pg_ctl'), [
      '-D',
      this.data,
      '-l',
      join(this.dir, 'server.log'),
      '-o',
      options,
      '-w',
      '-t',
      '60',
      'start',
    ]);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const client = new Client({ host: '127.0.0.1', port: this.port, user: 'postgres', database: 'postgres' });
      try {
        await client.connect();
        return;
      } catch (err) {
        if (Date.now() > deadline)
          throw new Error(`own PostgreSQL on ${this.port} did not accept connections: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 200));
      } finally {
        await client.end().catch(() => undefined);
      }
    }
  }

  /** Immediate shutdown: every connection dropped at once, as a crashed or unplugged server. */
  stop(): void {
    if (!existsSync(join(this.data, 'postmaster.pid'))) return;
    this.asPostgres(serverBin('pg_ctl'), ['-D', this.data, '-m', 'immediate', '-w', 'stop']);
  }

  destroy(): void {
    try {
      this.stop();
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private account(): { uid: number; gid: number } {
    const [uid, gid] = ['-u', '-g'].map((flag) => Number(execFileSync('id', [flag, 'postgres']).toString().trim()));
    return { uid, gid };
  }

  private asPostgres(file: string, args: string[]): void {
    execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: this.dir,
    });
  }
}
