import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunCgroups } from './run-cgroups';

// The files a run's cgroup is made of, on a fake cgroup tree (plain files): the kernel's side is
// tested by sandbox-limits.spec (this machine has cgroup v1's memory controller).

let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'molq-cgroups-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('RunCgroups', () => {
  it('cgroup v2: enables memory and pids below the root, writes memory.max, swap 0 and pids.max, reads oom_kill', async () => {
    writeFileSync(join(root, 'cgroup.controllers'), 'cpuset cpu io memory pids\n');
    const cgroups = await RunCgroups.detect(root, '0::/\n');
    if (typeof cgroups === 'string') throw new Error(cgroups);
    expect(readFileSync(join(root, 'cgroup.subtree_control'), 'utf8')).toBe('+memory +pids');
    expect(readFileSync(join(root, 'molq-runs', 'cgroup.subtree_control'), 'utf8')).toBe('+memory +pids');
    const run = await cgroups.create('run-1', { memoryBytes: 300 * 2 ** 20, processes: 512 });
    const dir = join(root, 'molq-runs', 'run-1');
    expect(run.procsFiles).toEqual([join(dir, 'cgroup.procs')]);
    expect(readFileSync(join(dir, 'memory.max'), 'utf8')).toBe(String(300 * 2 ** 20));
    expect(readFileSync(join(dir, 'memory.swap.max'), 'utf8')).toBe('0');
    expect(readFileSync(join(dir, 'pids.max'), 'utf8')).toBe('512');
    writeFileSync(join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 3\noom 1\noom_kill 0\n');
    expect(await run.oomKilled()).toBe(false);
    writeFileSync(join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 9\noom 2\noom_kill 1\n');
    expect(await run.oomKilled()).toBe(true);
  });

  it("cgroup v1: a run's cgroups under the pool's own memory and pids cgroups, with memsw when swap is accounted", async () => {
    mkdirSync(join(root, 'memory'));
    writeFileSync(join(root, 'memory', 'memory.limit_in_bytes'), '9223372036854771712');
    mkdirSync(join(root, 'pids'));
    writeFileSync(join(root, 'pids', 'cgroup.procs'), '');
    const self = '9:name=systemd:/\n8:pids:/pool\n4:memory:/svc/pool\n0::/\n';
    const cgroups = await RunCgroups.detect(root, self);
    if (typeof cgroups === 'string') throw new Error(cgroups);
    const memoryDir = join(root, 'memory', 'svc', 'pool', 'molq-runs', 'run-2');
    mkdirSync(memoryDir, { recursive: true });
    writeFileSync(join(memoryDir, 'memory.memsw.limit_in_bytes'), '');
    const run = await cgroups.create('run-2', { memoryBytes: 1024, processes: 64 });
    expect(readFileSync(join(memoryDir, 'memory.limit_in_bytes'), 'utf8')).toBe('1024');
    expect(readFileSync(join(memoryDir, 'memory.memsw.limit_in_bytes'), 'utf8')).toBe('1024');
    const pidsDir = join(root, 'pids', 'pool', 'molq-runs', 'run-2');
    expect(readFileSync(join(pidsDir, 'pids.max'), 'utf8')).toBe('64');
    expect(run.procsFiles).toEqual([join(memoryDir, 'cgroup.procs'), join(pidsDir, 'cgroup.procs')]);
    writeFileSync(join(memoryDir, 'memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n');
    expect(await run.oomKilled()).toBe(true);
  });

  it('says why there is none: no memory controller', async () => {
    writeFileSync(join(root, 'cgroup.controllers'), 'cpu io\n');
    expect(await RunCgroups.detect(root, '0::/\n')).toMatch(/no memory cgroup controller/);
  });
});
