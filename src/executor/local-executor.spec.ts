import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalSandbox } from '../sandbox/local-sandbox';
import { LocalExecutor } from './local-executor';

describe("LocalExecutor.stillRunning: is the engine a scheduler id names alive here, and this job's?", () => {
  const executor = new LocalExecutor({ lmp: 'lmp', xtb: 'xtb', g16: 'g16' }, {} as LocalSandbox);

  it("a live process working in the job's directory: yes; the same pid asked about another job, another host or a dead pid: no", async () => {
    const workdir = await mkdtemp(join(tmpdir(), 'molq-still-'));
    const child = spawn('sleep', ['30'], { cwd: workdir, stdio: 'ignore' });
    try {
      const id = `local:${hostname()}:${child.pid}`;
      expect(await executor.stillRunning(id, workdir)).toBe(true);
      expect(await executor.stillRunning(id, join(tmpdir(), 'another-job'))).toBe(false); // a recycled pid is someone else's
      expect(await executor.stillRunning(`local:another-host:${child.pid}`, workdir)).toBe(false);
      expect(await executor.stillRunning(`slurm:cluster:${child.pid}`, workdir)).toBe(false);
      expect(await executor.stillRunning(null, workdir)).toBe(false);
    } finally {
      child.kill();
      await new Promise((r) => child.once('exit', r));
      await rm(workdir, { recursive: true, force: true });
    }
    expect(await executor.stillRunning(`local:${hostname()}:${child.pid}`, workdir)).toBe(false);
  });
});
