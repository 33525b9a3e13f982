import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobSpec } from '../../src/jobs/job-spec';
import { Job } from '../../src/jobs/job.entity';
import { LocalExecutor } from '../../src/executor/local-executor';
import { renderDeck } from '../../src/rendering/deck-renderer';
import { LocalSandbox } from '../../src/sandbox/local-sandbox';
import { eventually } from '../support/eventually';
import { ETHANOL } from '../support/specs';
import { newWorld } from '../support/test-config';

const BINARIES = { lmp: 'lmp', xtb: 'xtb', g16: 'g16' };
const SANDBOX = LocalSandbox.fromConfig(newWorld().worker);
const dirs: string[] = [];

afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function staged(engine: Job['engine'], spec: JobSpec) {
  const job = Object.assign(new Job(), {
    id: '9b0a4a8e-1c7f-4e55-8f0a-2f9d9c3b7a11',
    type: engine === 'lammps' ? 'md' : 'qc',
    engine,
    name: 'test',
    spec,
  });
  const deck = renderDeck(job);
  const dir = await mkdtemp(join(tmpdir(), 'molq-exec-'));
  dirs.push(dir);
  for (const f of deck.files) await writeFile(join(dir, f.name), f.content);
  return { manifest: deck.manifest, dir };
}

const melt = (steps: number, walltimeMinutes = 5) =>
  staged('lammps', {
    resources: { tasks: 1, walltimeMinutes, memoryMb: 500 },
    md: {
      template: 'lj-melt',
      params: { atomsPerSide: 6, temperature: 3, steps, thermoEvery: Math.max(1, Math.floor(steps / 50)), seed: 87287 },
    },
  });

function alive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('local executor with the real engines', () => {
  it('runs an LJ melt with LAMMPS; progress rises during the run', async () => {
    const { manifest, dir } = await melt(3000);
    const progress: number[] = [];
    const result = await new LocalExecutor(BINARIES, SANDBOX).run(manifest, dir, {
      signal: new AbortController().signal,
      onProgress: (f) => progress.push(f),
    });
    expect(result.kind).toBe('completed');
    if (result.kind !== 'completed') return;
    expect(result.files.map((f) => f.name)).toEqual(
      expect.arrayContaining(['in.lammps', 'log.lammps', 'final.dump', 'stdout.log', 'stderr.log']),
    );
    expect(result.files.find((f) => f.name === 'final.dump')!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress[progress.length - 1]).toBeLessThan(1);
  });

  it('runs an xtb optimisation of ethanol', async () => {
    const { manifest, dir } = await staged('xtb', {
      resources: { tasks: 1, walltimeMinutes: 5, memoryMb: 500 },
      qc: { xyz: ETHANOL, charge: 0, multiplicity: 1, task: 'opt', gfn: 2 },
    });
    const result = await new LocalExecutor(BINARIES, SANDBOX).run(manifest, dir, {
      signal: new AbortController().signal,
      onProgress: () => undefined,
    });
    if (result.kind !== 'completed') throw new Error(JSON.stringify(result));
    expect(result.files.map((f) => f.name)).toEqual(
      expect.arrayContaining(['xtbout.json', 'xtbopt.xyz', 'stdout.log']),
    );
  });

  it('cancel kills the whole process group within 2 s', async () => {
    const { manifest, dir } = await melt(10_000_000);
    const abort = new AbortController();
    let pid = 0;
    const running = new LocalExecutor(BINARIES, SANDBOX).run(manifest, dir, {
      signal: abort.signal,
      onProgress: () => undefined,
      onStarted: (id) => (pid = Number(id.split(':').pop())),
    }); // local:<host>:<pid>
    await eventually(() => pid > 0, 30_000, 20); // launched (its thermo lines come only every 1,000,000 steps)
    expect(alive(pid)).toBe(true);
    const t = Date.now();
    abort.abort();
    const result = await running;
    expect(Date.now() - t).toBeLessThan(2_000);
    expect(result.kind).toBe('cancelled');
    expect(alive(pid)).toBe(false);
  });

  it('stops a run past its walltime with a message saying so', async () => {
    const { manifest, dir } = await melt(10_000_000, 0.02); // 1.2 s
    const result = await new LocalExecutor(BINARIES, SANDBOX).run(manifest, dir, {
      signal: new AbortController().signal,
      onProgress: () => undefined,
    });
    expect(result).toEqual({
      kind: 'failed',
      retryable: false,
      reason: 'walltime of 0.02 min exceeded: the engine was stopped',
    });
  });

  it('fails at once, naming the engine but no host path, when the engine is absent', async () => {
    const { manifest, dir } = await melt(100);
    const t = Date.now();
    const result = await new LocalExecutor({ ...BINARIES, lmp: '/opt/nowhere/lmp' }, SANDBOX).run(manifest, dir, {
      signal: new AbortController().signal,
      onProgress: () => undefined,
    });
    expect(Date.now() - t).toBeLessThan(1_000);
    expect(result).toMatchObject({
      kind: 'failed',
      reason: 'LAMMPS (lmp) is not installed on the pool that took this job', // the paths tried go to the pool's log
    });
  });

  it("a run that wants more memory than its job asked for fails inside its own limit (the node's memory is not at stake)", async () => {
    const { manifest, dir } = await melt(100); // memoryMb 500: 4 GiB + 1 GiB for its task
    await writeFile(
      join(dir, 'in.lammps'),
      'units lj\natom_style atomic\nlattice fcc 0.8442\nregion box block 0 300 0 300 0 300\ncreate_box 1 box\ncreate_atoms 1 box\n',
    ); // 108 M atoms
    expect(SANDBOX.addressSpaceFor(manifest.resources)).toBe(5 * 1024 ** 3);
    const result = await new LocalExecutor(BINARIES, SANDBOX).run(manifest, dir, {
      signal: new AbortController().signal,
      onProgress: () => undefined,
    });
    expect(result).toMatchObject({ kind: 'failed', retryable: false });
    expect(result.kind === 'failed' && result.reason).toMatch(
      /^lmp exited with code \d+: ERROR on proc 0: Failed to (re)?allocate \d+ bytes for array atom:x$/,
    );
  });

  it('reports a LAMMPS input error with its ERROR line', async () => {
    const { manifest, dir } = await melt(100);
    await writeFile(join(dir, 'in.lammps'), 'units lj\nbogus_command 1 2\n');
    const result = await new LocalExecutor(BINARIES, SANDBOX).run(manifest, dir, {
      signal: new AbortController().signal,
      onProgress: () => undefined,
    });
    expect(result).toMatchObject({ kind: 'failed', retryable: false });
    expect(result.kind === 'failed' && result.reason).toMatch(/^lmp exited with code \d+: ERROR: Unknown command/);
  });
});
