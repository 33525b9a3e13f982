import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * One memory (and process) cgroup per local run, so a job's memory counts everything it uses —
 * every process, and the pages of its private /tmp and /dev/shm — against its resources.memoryMb,
 * as Slurm's --mem does on a cluster. The launch writes its own pid into the run's cgroup before
 * it drops to the sandbox account and execs bubblewrap, so nothing the run starts escapes it.
 *
 * cgroup v2 (memory in /sys/fs/cgroup/cgroup.controllers): <root>/molq-runs/<run>, with
 * memory.max, memory.swap.max = 0 and pids.max (the controllers are enabled in the root's and
 * molq-runs' subtree_control). cgroup v1: <memory mount>/<the pool's own cgroup>/molq-runs/<run>
 * with memory.limit_in_bytes (and memsw when the kernel accounts swap), and the same in the pids
 * hierarchy when it is mounted. Without either (no root, no delegation), runs keep prlimit's
 * per-process address space and the sized tmpfs only: see the README's Security model.
 */

export interface RunLimits {
  memoryBytes: number;
  processes: number;
}

const PARENT = 'molq-runs';

/** A run's cgroup: the cgroup.procs files its launch joins; why it ended; removed afterwards. */
export class RunCgroup {
  constructor(
    private readonly dirs: string[],
    private readonly memoryDir: string,
    private readonly version: 1 | 2,
  ) {}

  /** The cgroup.procs file of each hierarchy the launch must join. */
  get procsFiles(): string[] {
    return this.dirs.map((d) => join(d, 'cgroup.procs'));
  }

  /** The kernel's OOM killer ended a process of this run (its memory limit was reached). */
  async oomKilled(): Promise<boolean> {
    const file = join(this.memoryDir, this.version === 2 ? 'memory.events' : 'memory.oom_control');
    const text = await readFile(file, 'utf8').catch(() => '');
    return Number(/^oom_kill (\d+)$/m.exec(text)?.[1] ?? 0) > 0;
  }

  /** Kills whatever is still in the run's cgroups, then removes them (a pid namespace takes a moment to empty). */
  async remove(): Promise<void> {
    for (const dir of this.dirs) {
      for (let attempt = 0; attempt < 50; attempt++) {
        await killMembers(dir);
        try {
          await rmdir(dir);
          break;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') break;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
  }
}

/** SIGKILL to every process of a cgroup (cgroup.kill where the kernel has it, else each pid of cgroup.procs). */
async function killMembers(dir: string): Promise<void> {
  if (existsSync(join(dir, 'cgroup.kill'))) {
    await writeFile(join(dir, 'cgroup.kill'), '1').catch(() => undefined);
    return;
  }
  const pids = (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

/** Where the pool makes its runs' cgroups; null when this host gives it none (see detect). */
export class RunCgroups {
  private constructor(
    private readonly version: 1 | 2,
    private readonly memoryParent: string,
    private readonly pidsParent: string | null,
  ) {}

  get description(): string {
    return `cgroup v${this.version} (${this.memoryParent})`;
  }

  /**
   * The memory controller this process may use, or the reason there is none. `root` is where
   * the cgroup file systems are mounted; `self` is /proc/self/cgroup.
   */
  static async detect(
    root = '/sys/fs/cgroup',
    self = readFileSync('/proc/self/cgroup', 'utf8'),
  ): Promise<RunCgroups | string> {
    if (process.getuid?.() !== 0 && root === '/sys/fs/cgroup') return 'the pool does not run as root';
    try {
      const controllers = existsSync(join(root, 'cgroup.controllers'))
        ? readFileSync(join(root, 'cgroup.controllers'), 'utf8').split(/\s+/)
        : [];
      if (controllers.includes('memory')) {
        const parent = join(root, PARENT);
        await writeFile(
          join(root, 'cgroup.subtree_control'),
          controllers.includes('pids') ? '+memory +pids' : '+memory',
        );
        await mkdir(parent, { recursive: true });
        await writeFile(
          join(parent, 'cgroup.subtree_control'),
          controllers.includes('pids') ? '+memory +pids' : '+memory',
        );
        return new RunCgroups(2, parent, controllers.includes('pids') ? parent : null);
      }
      const own = (controller: string) =>
        self
          .split('\n')
          .map((l) => l.split(':'))
          .find((f) => f[1]?.split(',').includes(controller))?.[2] ?? '/';
      const memoryMount = join(root, 'memory');
      if (!existsSync(join(memoryMount, 'memory.limit_in_bytes')))
        return 'no memory cgroup controller is mounted (v2 without memory, or no /sys/fs/cgroup/memory)';
      const memoryParent = join(memoryMount, own('memory'), PARENT);
      await mkdir(memoryParent, { recursive: true });
      const pidsMount = join(root, 'pids');
      let pidsParent: string | null = null;
      if (existsSync(join(pidsMount, 'cgroup.procs'))) {
        pidsParent = join(pidsMount, own('pids'), PARENT);
        await mkdir(pidsParent, { recursive: true });
      }
      return new RunCgroups(1, memoryParent, pidsParent);
    } catch (err) {
      return `cgroups are not writable here (${(err as Error).message})`;
    }
  }

  /** A new cgroup for one run, its limits written. */
  async create(name: string, limits: RunLimits): Promise<RunCgroup> {
    const memoryDir = join(this.memoryParent, name);
    await mkdir(memoryDir, { recursive: true });
    const dirs = [memoryDir];
    if (this.version === 2) {
      await writeFile(join(memoryDir, 'memory.max'), String(limits.memoryBytes));
      await writeFile(join(memoryDir, 'memory.swap.max'), '0').catch(() => undefined); // no swap accounting: nothing to cap
      if (this.pidsParent) await writeFile(join(memoryDir, 'pids.max'), String(limits.processes));
    } else {
      await writeFile(join(memoryDir, 'memory.limit_in_bytes'), String(limits.memoryBytes));
      if (existsSync(join(memoryDir, 'memory.memsw.limit_in_bytes')))
        await writeFile(join(memoryDir, 'memory.memsw.limit_in_bytes'), String(limits.memoryBytes));
      if (this.pidsParent) {
        const pidsDir = join(this.pidsParent, name);
        await mkdir(pidsDir, { recursive: true });
        await writeFile(join(pidsDir, 'pids.max'), String(limits.processes));
        dirs.push(pidsDir);
      }
    }
    return new RunCgroup(dirs, memoryDir, this.version);
  }
}
