import { Logger } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { chown, lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { WorkerConfig } from '../config/worker.config';
import { findExecutable, type EngineProbe } from '../executor/engine-binaries';
import type { Engine } from '../jobs/job-status';
import {
  bubblewrapCommand,
  engineEnvironment,
  literalWords,
  type SandboxHardening,
  type SandboxLimits,
} from './sandbox-command';
import { PROBE_FAILURES, PROBE_SCRIPT } from './sandbox-probe';
import { RunCgroups, type RunCgroup } from './run-cgroups';
import { seccompProgram } from './seccomp-filter';
import { killLeftovers } from './leftover-processes';
import { SpawnLauncher } from './spawn-launcher';
import { accountOf, type Account, type LocalLaunch, type RunRequest, type SandboxRun } from './sandbox-run';

export { accountOf, type Account, type LocalLaunch, type RunRequest, type SandboxRun };

/** The sandbox is configured but does not work here: the pool must not start (exit 78). */
export class SandboxBrokenError extends Error {}

const MIB = 1024 * 1024;
const PROBE_TIMEOUT_MS = 30_000;
/** The least memory a run gets whatever it asked (OpenMPI's start-up alone takes ~100 MiB). */
const MIN_RUN_MEMORY_MB = 256;
/** Joins each cgroup.procs given (its own pid: the pid the engine will have), then execs the rest. */
const JOIN_CGROUPS =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n-1)); done; exec "$@"';

/**
 * The local executor's sandbox: bubblewrap (or nothing, when SANDBOX=none). When the pool runs as
 * root, engines run as SANDBOX_USER, which owns only the job's work dir.
 */
export class LocalSandbox {
  private readonly logger = new Logger(LocalSandbox.name);
  /** Spawns the runs' engines (off this process: see SpawnLauncher). */
  private readonly launcher = new SpawnLauncher();
  /** Where runs get their memory cgroups (set by probe), when this host gives the pool any. */
  private cgroups: RunCgroups | undefined;
  /** The seccomp program handed to bubblewrap (written by probe). */
  private seccompFile: string | undefined;

  private constructor(
    readonly kind: 'bwrap' | 'none',
    private readonly bwrap: string,
    private readonly account: Account | undefined,
    private readonly limits: SandboxLimits,
    private readonly workRoot: string,
    private readonly cgroupMode: WorkerConfig['SANDBOX_CGROUP'] = 'off',
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
    return new LocalSandbox('bwrap', bwrap, account, limits, workRoot, config.SANDBOX_CGROUP);
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

  /** The memory one run may use in all (its cgroup, and the size of its /tmp): resources.memoryMb, at least 256 MiB. */
  memoryFor(resources: { memoryMb: number }): number {
    return Math.max(MIN_RUN_MEMORY_MB, resources.memoryMb) * MIB;
  }

  /**
   * Starts one engine run: in its own memory cgroup when the host gives the pool cgroups, with the
   * seccomp filter on fd 3, /tmp sized to its memory, as the sandbox account.
   */
  async start(run: RunRequest): Promise<SandboxRun> {
    const memoryBytes = this.memoryFor(run.resources);
    const cgroup = this.cgroups
      ? await this.cgroups.create(`run-${randomBytes(6).toString('hex')}`, {
          memoryBytes,
          processes: this.limits.processes,
        })
      : undefined;
    const seccomp = this.seccompFile;
    try {
      const hardening = { tmpfsBytes: memoryBytes, seccompFd: seccomp === undefined ? undefined : 3 };
      const launch = this.launch(
        run.enginePath,
        run.args,
        run.workdir,
        run.env,
        this.addressSpaceFor(run.resources),
        hardening,
        cgroup,
      );
      const started = await this.spawnRun(launch, run, seccomp);
      return {
        ...started,
        ended: async () => {
          const outOfMemory = (await cgroup?.oomKilled()) ?? false;
          // a run's cgroup holds all it started (its removal kills them): the /proc scan is for runs without one
          const left = cgroup ? 0 : await killLeftovers(run.workdir);
          if (left > 0)
            this.logger.warn(`${run.workdir}: killed ${left} process(es) left after the run's launch exited`);
          await cgroup?.remove();
          return { outOfMemory };
        },
      };
    } catch (err) {
      await cgroup?.remove();
      throw err;
    }
  }

  /** Runs go through the pool's launcher (no fork of the pool per run); the probe's pipes need a child of the pool's own. */
  private async spawnRun(
    launch: LocalLaunch,
    run: RunRequest,
    seccompFile: string | undefined,
  ): Promise<Pick<SandboxRun, 'pid' | 'exited' | 'child'>> {
    if (run.output !== 'pipe')
      return this.launcher.spawn({
        file: launch.file,
        args: launch.args,
        cwd: run.workdir,
        env: launch.env,
        uid: launch.uid,
        gid: launch.gid,
        stdout: run.output.stdout,
        stderr: run.output.stderr,
        fd3: seccompFile,
      });
    const seccomp = seccompFile ? openSync(seccompFile, 'r') : undefined;
    try {
      const child = spawn(launch.file, launch.args, {
        cwd: run.workdir,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe', ...(seccomp === undefined ? [] : [seccomp])],
        env: launch.env,
        uid: launch.uid,
        gid: launch.gid,
      });
      const exited = new Promise<{ code: number | null; error?: Error }>((resolve) => {
        child.once('exit', (code) => resolve({ code }));
        child.once('error', (error) => resolve({ code: null, error }));
      });
      return { pid: child.pid, exited, child };
    } finally {
      if (seccomp !== undefined) closeSync(seccomp);
    }
  }

  /** The launch of `enginePath args` confined to `workdir` (limits: the pool's, address space per job when given). */
  launch(
    enginePath: string,
    args: string[],
    workdir: string,
    env: Record<string, string>,
    addressSpaceBytes = this.limits.addressSpaceBytes,
    hardening?: SandboxHardening,
    cgroup?: RunCgroup,
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
          hardening,
        },
        this.bwrap,
      ),
    );
    if (cgroup && this.account) {
      // as root: join the run's cgroups, then drop to the sandbox account, then bubblewrap
      const { uid, gid } = this.account;
      const drop = ['/usr/bin/setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--'];
      const files = cgroup.procsFiles;
      return {
        file: '/bin/sh',
        args: ['-c', JOIN_CGROUPS, 'molq-run', String(files.length), ...files, ...drop, ...words],
        env: { PATH: '/usr/bin:/bin' },
      };
    }
    return {
      file: words[0],
      args: words.slice(1),
      env: { PATH: '/usr/bin:/bin' },
      uid: this.account?.uid,
      gid: this.account?.gid,
    };
  }

  /**
   * Runs the isolation checks and each engine's version command inside the sandbox; throws
   * SandboxBrokenError saying what failed. Returns what each engine printed (its version). With
   * SANDBOX=none there is no isolation to check and an engine that fails its command is only left
   * without a version.
   */
  async probe(engines: EngineProbe[]): Promise<Map<Engine, string>> {
    const printed = new Map<Engine, string>();
    await mkdir(this.workRoot, { recursive: true, mode: 0o711 });
    if (this.confines) await this.setUpHardening();
    const dir = join(this.workRoot, `.probe-${randomBytes(6).toString('hex')}`);
    await mkdir(dir);
    try {
      await this.prepare(dir);
      if (this.confines) await this.probeIsolation(dir);
      for (const engine of engines) {
        const run = await this.runProbe(dir, engine.path, engine.args);
        if (run.code === 0) printed.set(engine.engine, run.head);
        else if (this.confines)
          throw new SandboxBrokenError(
            `sandbox probe failed: ${engine.name} (${engine.path} ${engine.args.join(' ')}) exited ${run.code ?? 'on a signal'} inside the sandbox: ${run.output}`,
          );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return printed;
  }

  private async probeIsolation(dir: string): Promise<void> {
    const isolation = await this.runProbe(dir, '/bin/sh', ['-c', PROBE_SCRIPT, 'probe', this.workRoot]);
    if (isolation.code !== 0)
      throw new SandboxBrokenError(
        `sandbox probe failed: ${PROBE_FAILURES[isolation.code ?? -1] ?? `exit ${isolation.code}`}${isolation.output ? `: ${isolation.output}` : ''}`,
      );
    if ((await readFile(join(dir, 'probe.txt'), 'utf8')) !== 'molq-probe\n')
      throw new SandboxBrokenError('sandbox probe failed: what the run wrote did not reach the work dir');
  }

  /** The seccomp program beside the work dirs (root's, read-only to others) and the runs' cgroups. */
  private async setUpHardening(): Promise<void> {
    if (process.arch === 'x64') {
      this.seccompFile = join(this.workRoot, '.seccomp.bpf');
      await writeFile(this.seccompFile, seccompProgram(), { mode: 0o644 });
    } else this.logger.warn(`no seccomp filter for ${process.arch} (x86-64 only): engines run without one`);
    if (this.cgroupMode === 'off' || !this.account) {
      if (this.cgroupMode === 'required')
        throw new SandboxBrokenError('SANDBOX_CGROUP=required, but only a pool running as root can give runs cgroups');
      return;
    }
    const found = await RunCgroups.detect();
    if (typeof found !== 'string') {
      this.cgroups = found;
      this.logger.log(`each run's memory is capped by its own ${found.description}`);
      return;
    }
    if (this.cgroupMode === 'required') throw new SandboxBrokenError(`SANDBOX_CGROUP=required, but ${found}`);
    this.logger.warn(
      `no memory cgroup per run (${found}): a run's memory is bounded only per process (prlimit) and by its sized /tmp`,
    );
  }

  private async runProbe(
    dir: string,
    program: string,
    args: string[],
  ): Promise<{ code: number | null; output: string; head: string }> {
    const { child: spawned, ended } = await this.start({
      enginePath: program,
      args,
      workdir: dir,
      env: {},
      resources: { memoryMb: 1024, tasks: 1 },
      output: 'pipe',
    });
    const child = spawned!;
    return new Promise((done) => {
      let output = '';
      let head = '';
      const keep = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        if (head.length < 4_000) head = (head + text).slice(0, 4_000); // versions are printed first
        output = (output + text).slice(-2_000);
      };
      child.stdout!.on('data', keep);
      child.stderr!.on('data', keep);
      const timer = setTimeout(() => child.kill('SIGKILL'), PROBE_TIMEOUT_MS);
      child.once('error', (err) => {
        clearTimeout(timer);
        done({ code: -1, output: err.message, head: '' });
      });
      child.once('close', (code) => {
        clearTimeout(timer);
        void ended().finally(() => done({ code, output: output.trim().split('\n').slice(-5).join(' | '), head }));
      });
    });
  }
}
