import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chown, lstat, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { WorkerConfig } from '../config/worker.config';
import { findExecutable } from '../executor/engine-binaries';
import {
  bubblewrapCommand,
  engineEnvironment,
  literalWords,
  SANDBOX_WORKDIR,
  type SandboxLimits,
} from './sandbox-command';

/** The sandbox is configured but does not work here: the pool must not start (exit 78). */
export class SandboxBrokenError extends Error {}

export interface Account {
  uid: number;
  gid: number;
}

/** How to start one engine run: spawn(file, args, {env, uid, gid}). */
export interface LocalLaunch {
  file: string;
  args: string[];
  env: Record<string, string>;
  uid?: number;
  gid?: number;
}

const MIB = 1024 * 1024;
const PROBE_TIMEOUT_MS = 30_000;

/** The uid/gid of a login name from /etc/passwd, or undefined. */
export function accountOf(name: string, passwd = readFileSync('/etc/passwd', 'utf8')): Account | undefined {
  const line = passwd.split('\n').find((l) => l.split(':')[0] === name);
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Checks run inside the sandbox at start-up; each exit code names what leaked. */
const PROBE_SCRIPT = `
echo molq-probe > ${SANDBOX_WORKDIR}/probe.txt || exit 10
[ "$(id -u)" != 0 ] || exit 11
[ ! -e /etc/passwd ] || exit 12
[ -z "$(env | grep -E '^(JWT_SECRET|URL_SIGNING_SECRET|DATABASE_URL|REDIS_URL)=')" ] || exit 13
[ "$(grep -c : /proc/net/dev)" = 1 ] || exit 14
[ "$(ls /proc | grep -cE '^[0-9]+$')" -le 6 ] || exit 15
if touch /usr/.molq-probe 2>/dev/null; then exit 16; fi
[ ! -e "$1" ] || exit 17
exit 0
`;
const PROBE_FAILURES: Record<number, string> = {
  10: 'the work dir is not writable inside the sandbox',
  11: 'the engine would run as root',
  12: "the host's /etc is visible",
  13: "the worker's environment is visible",
  14: 'the network is reachable (no network namespace)',
  15: "the host's processes are visible (no pid namespace)",
  16: '/usr is writable',
  17: 'the host work root is visible',
};

/**
 * The local executor's sandbox: bubblewrap (or nothing, when SANDBOX=none). When the pool runs as
 * root, engines run as SANDBOX_USER, which owns only the job's work dir.
 */
export class LocalSandbox {
  private constructor(
    readonly kind: 'bwrap' | 'none',
    private readonly bwrap: string,
    private readonly account: Account | undefined,
    private readonly limits: SandboxLimits,
    private readonly workRoot: string,
  ) {}

  static fromConfig(config: WorkerConfig): LocalSandbox {
    const limits = {
      addressSpaceBytes: config.SANDBOX_ADDRESS_SPACE_MB * MIB,
      processes: config.SANDBOX_MAX_PROCESSES,
      fileSizeBytes: config.SANDBOX_MAX_FILE_MB * MIB,
    };
    const workRoot = resolve(config.WORK_DIR);
    if (config.SANDBOX === 'none') return new LocalSandbox('none', '', undefined, limits, workRoot);
    const bwrap = findExecutable(config.SANDBOX_BWRAP);
    if (!bwrap)
      throw new SandboxBrokenError(
        `SANDBOX=bwrap but ${config.SANDBOX_BWRAP} is not installed (SANDBOX_BWRAP; Debian: apt-get install bubblewrap, or run scripts/ensure-engines.sh)`,
      );
    let account: Account | undefined;
    if (process.getuid?.() === 0) {
      account = accountOf(config.SANDBOX_USER);
      if (!account || account.uid === 0)
        throw new SandboxBrokenError(
          `SANDBOX_USER=${config.SANDBOX_USER}: no such unprivileged account (scripts/ensure-engines.sh makes it)`,
        );
    }
    return new LocalSandbox('bwrap', bwrap, account, limits, workRoot);
  }

  get confines(): boolean {
    return this.kind !== 'none';
  }

  /** Gives the work dir (and what was staged into it) to the sandbox account. */
  async prepare(workdir: string): Promise<void> {
    if (!this.account) return;
    const { uid, gid } = this.account;
    const own = async (path: string): Promise<void> => {
      await chown(path, uid, gid);
      if (!(await lstat(path)).isDirectory()) return;
      for (const entry of await readdir(path)) await own(join(path, entry));
    };
    await own(workdir);
  }

  /**
   * The address space one run may map: what the job asked for (twice, for allocator slack) plus
   * 1 GiB of OpenMP stack per task, at least 4 GiB (LAMMPS with OpenMPI maps much it never uses),
   * never above SANDBOX_ADDRESS_SPACE_MB: one job cannot take the node's memory.
   */
  addressSpaceFor(resources: { memoryMb: number; tasks: number }): number {
    const wanted = (Math.max(4_096, 2 * resources.memoryMb) + 1_024 * resources.tasks) * MIB;
    return Math.min(wanted, this.limits.addressSpaceBytes);
  }

  /** The launch of `enginePath args` confined to `workdir` (limits: the pool's, address space per job when given). */
  launch(
    enginePath: string,
    args: string[],
    workdir: string,
    env: Record<string, string>,
    addressSpaceBytes = this.limits.addressSpaceBytes,
  ): LocalLaunch {
    if (this.kind === 'none')
      return {
        file: enginePath,
        args,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: workdir, LANG: 'C.UTF-8', ...env },
      };
    const outsideUsr = !enginePath.startsWith('/usr/') ? [dirname(enginePath)] : [];
    const words = literalWords(
      bubblewrapCommand(
        {
          workdir,
          command: [enginePath, ...args],
          env: engineEnvironment(env),
          readOnly: outsideUsr,
          limits: { ...this.limits, addressSpaceBytes },
        },
        this.bwrap,
      ),
    );
    return {
      file: words[0],
      args: words.slice(1),
      env: { PATH: '/usr/bin:/bin' },
      uid: this.account?.uid,
      gid: this.account?.gid,
    };
  }

  /**
   * Runs the isolation checks and each engine's smallest command inside the sandbox; throws
   * SandboxBrokenError saying what failed. Nothing to check when SANDBOX=none.
   */
  async probe(engines: { name: string; path: string; args: string[] }[]): Promise<void> {
    if (!this.confines) return;
    await mkdir(this.workRoot, { recursive: true, mode: 0o711 });
    const dir = join(this.workRoot, `.probe-${randomBytes(6).toString('hex')}`);
    await mkdir(dir);
    try {
      await this.prepare(dir);
      const isolation = await this.runProbe(dir, '/bin/sh', ['-c', PROBE_SCRIPT, 'probe', this.workRoot]);
      if (isolation.code !== 0)
        throw new SandboxBrokenError(
          `sandbox probe failed: ${PROBE_FAILURES[isolation.code ?? -1] ?? `exit ${isolation.code}`}${isolation.output ? `: ${isolation.output}` : ''}`,
        );
      if ((await readFile(join(dir, 'probe.txt'), 'utf8')) !== 'molq-probe\n')
        throw new SandboxBrokenError('sandbox probe failed: what the run wrote did not reach the work dir');
      for (const engine of engines) {
        const run = await this.runProbe(dir, engine.path, engine.args);
        if (run.code !== 0)
          throw new SandboxBrokenError(
            `sandbox probe failed: ${engine.name} (${engine.path} ${engine.args.join(' ')}) exited ${run.code ?? 'on a signal'} inside the sandbox: ${run.output}`,
          );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private runProbe(dir: string, program: string, args: string[]): Promise<{ code: number | null; output: string }> {
    const launch = this.launch(program, args, dir, {});
    return new Promise((done) => {
      let output = '';
      const child = spawn(launch.file, launch.args, {
        cwd: dir,
        env: launch.env,
        uid: launch.uid,
        gid: launch.gid,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-2_000));
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);
      const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
      child.once('error', (err) => {
        clearTimeout(timer);
        done({ code: -1, output: err.message });
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        done({ code, output: output.trim().split('\n').slice(-5).join(' | ') });
      });
    });
  }
}
