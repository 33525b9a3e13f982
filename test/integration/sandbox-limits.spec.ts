import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { QueueName } from '../../queues';
import { Artifact } from '../../src/artifacts/artifact.entity';
import { Storage } from '../../src/storage/storage';
import { validateBody } from '../../src/http/validate-body';
import { CreateJobDto } from '../../src/submissions/dto/create-job.dto';
import { SubmissionService } from '../../src/submissions/submission.service';
import { fileInMemory } from '../../src/submissions/uploaded-file';
import { eventually } from '../support/eventually';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// Issue 27, points 2, 4 and 5: what a job does behind the screen (scripts pushed straight into
// the pipeline, as if the screen had a hole; the real LAMMPS in the real sandbox) must not lead the
// root pool into host files, stall it, or take the host's memory or disk.

const world = newWorld({ SANDBOX_MAX_OUTPUT_MB: '200', SANDBOX_MAX_OUTPUT_FILES: '500' });
const ctx = usePlatform(world, [QueueName.Ingestion, QueueName.Md, QueueName.Upload, QueueName.Reports]);
const root = join(world.env.WORK_DIR, '..');
/** A root-only host file whose number would show up as the job's progress if the pool followed a link to it. */
const HOST_FILE = join(root, 'host-only', 'progress.txt');
const FINAL = ['COMPLETED', 'FAILED', 'CANCELLED'];

const spec = (name: string, resources = { tasks: 1, walltimeMinutes: 2, memoryMb: 500 }) => ({
  type: 'md',
  engine: 'lammps',
  name,
  md: { script: 'in.attack' },
  resources,
  reuse: false,
});

/** Submits a script as the API would after the screen, without the screen. */
async function pastTheScreen(name: string, script: string, resources?: Parameters<typeof spec>[1]): Promise<string> {
  const dto = validateBody(CreateJobDto, spec(name, resources));
  const { id } = await ctx.platform.app
    .get(SubmissionService)
    .submit(ctx.user.id, dto, [fileInMemory('in.attack', Buffer.from(script))]);
  return id;
}

const finalJob = async (id: string, ms = 120_000) => {
  await eventually(async () => FINAL.includes((await ctx.platform.job(id, ctx.user.auth)).status), ms, 250);
  return ctx.platform.job(id, ctx.user.auth);
};

beforeAll(() => {
  mkdirSync(join(root, 'host-only'), { recursive: true, mode: 0o700 });
  writeFileSync(HOST_FILE, '  424242 1.0 2.0 3.0\n', { mode: 0o600 });
  chmodSync(HOST_FILE, 0o600);
});

describe('a job planting files in its work dir while it runs', () => {
  it('a log.lammps replaced by a symlink to a root-only host file is not followed: its number never becomes the progress', async () => {
    const id = await pastTheScreen(
      'symlink',
      [
        'log none',
        'shell rm -f log.lammps',
        `shell ln -s ${HOST_FILE} log.lammps`,
        'shell sleep 4',
        'jump SELF end',
        'run 1000000', // counted as the run's steps: a leaked 424242 would read as 0.424
        'label end',
      ].join('\n'),
    );
    const seen = new Set<number>();
    for (const started = Date.now(); Date.now() - started < 60_000;) {
      const job = await ctx.platform.job(id, ctx.user.auth);
      seen.add(job.progress);
      if (FINAL.includes(job.status)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect([...seen].filter((p) => Math.abs(p - 0.424242) < 1e-3)).toEqual([]);
    expect((await finalJob(id)).status).toBe('COMPLETED');
  });

  it('FIFOs in place of log.lammps, the script and stdout.log block nothing: the job ends, and the next job runs', async () => {
    const id = await pastTheScreen(
      'fifo',
      [
        'log none',
        'shell rm -f log.lammps stdout.log in.attack',
        'shell mkfifo log.lammps stdout.log in.attack',
        'shell sleep 4',
        'jump SELF end',
        'run 1000000',
        'label end',
      ].join('\n'),
    );
    expect((await finalJob(id, 60_000)).status).toBe('COMPLETED');
    const next = await pastTheScreen('after the fifo', 'units lj\nprint "fine"\n');
    expect((await finalJob(next, 60_000)).status).toBe('COMPLETED');
    const fifoArtifacts = (await ctx.platform.job(id, ctx.user.auth)).artifacts.map((a: { name: string }) => a.name);
    expect(fifoArtifacts).not.toContain('log.lammps');
  });
});

describe("a job's memory and disk", () => {
  const small = { tasks: 1, walltimeMinutes: 2, memoryMb: 300 };
  const artifactText = async (id: string, name: string) => {
    const artifact = await ctx.platform.app.get(DataSource).getRepository(Artifact).findOneBy({ jobId: id, name });
    return artifact ? (await ctx.platform.app.get(Storage).read(artifact.storageKey)).toString('utf8') : undefined;
  };

  it('a run that touches more memory than its memoryMb is killed by its own cgroup, and the job says so', async () => {
    // 4 million atoms: ~1 GiB of arrays, far under the 5 GiB address space prlimit allows this job
    const id = await pastTheScreen(
      'memory hog',
      'units lj\natom_style atomic\nlattice fcc 0.8442\nregion box block 0 100 0 100 0 100\ncreate_box 1 box\ncreate_atoms 1 box\nmass 1 1.0\nprint "survived"\n',
      small,
    );
    const job = await finalJob(id);
    expect({ status: job.status, error: job.error }).toEqual({
      status: 'FAILED',
      error: 'memory limit of 300 MiB exceeded (resources.memoryMb): the engine was killed',
    });
  });

  it("the sandbox's /tmp holds no more than the job's memory, and its / takes no writes", async () => {
    const id = await pastTheScreen(
      'tmpfs',
      [
        'shell dd if=/dev/zero of=/tmp/fill bs=1M count=600',
        'shell du -k /tmp/fill > tmp-kib.txt',
        'shell touch /rootfile',
        'shell ls / > root.txt',
        'shell touch /dev/devfile',
        'shell ls /dev > dev.txt',
      ].join('\n'),
      small,
    );
    const job = await finalJob(id);
    if (job.status === 'FAILED') {
      // the cgroup's OOM killer took LAMMPS itself before /tmp filled: bounded all the same
      expect(job.error).toMatch(/^memory limit of 300 MiB exceeded/);
      return;
    }
    expect(job.status).toBe('COMPLETED');
    const kib = Number((await artifactText(id, 'tmp-kib.txt'))?.split(/\s/)[0] ?? 'NaN');
    expect(kib).toBeLessThanOrEqual(300 * 1024);
    expect((await artifactText(id, 'root.txt'))?.split('\n')).not.toContain('rootfile');
    expect((await artifactText(id, 'dev.txt'))?.split('\n')).not.toContain('devfile');
  });

  it('inside the sandbox no user namespace can be made and a seccomp filter is set', async () => {
    const id = await pastTheScreen(
      'walls',
      [
        'shell unshare -U true && echo made > userns.txt',
        'shell unshare -U -r true && echo made > userns-root.txt',
        'shell grep -E ^Seccomp /proc/self/status > seccomp.txt',
      ].join('\n'),
    );
    expect((await finalJob(id)).status).toBe('COMPLETED');
    expect(await artifactText(id, 'userns.txt')).toBeUndefined();
    expect(await artifactText(id, 'userns-root.txt')).toBeUndefined();
    expect(await artifactText(id, 'seccomp.txt')).toMatch(/^Seccomp:\s+2$/m);
  });

  it('more output files than SANDBOX_MAX_OUTPUT_FILES: the job fails naming the limit, and nothing is stored', async () => {
    const id = await pastTheScreen('many files', 'shell seq 600 | xargs -I N touch fN.txt\n');
    const job = await finalJob(id);
    expect({ status: job.status, error: job.error }).toEqual({
      status: 'FAILED',
      error: 'the run left 603 output files; at most 500 are kept (SANDBOX_MAX_OUTPUT_FILES)',
    });
    expect(job.artifacts.filter((a: { kind: string }) => a.kind !== 'input')).toEqual([]);
  });

  it('sparse files count by their size: 3 × 100 MB that take no disk are more than SANDBOX_MAX_OUTPUT_MB = 200', async () => {
    const id = await pastTheScreen(
      'sparse',
      'shell truncate -s 100M s1.dat\nshell truncate -s 100M s2.dat\nshell truncate -s 100M s3.dat\n',
    );
    const job = await finalJob(id);
    expect({ status: job.status, error: job.error }).toEqual({
      status: 'FAILED',
      error: "the run's outputs take 301 MiB; at most 200 MiB are kept (SANDBOX_MAX_OUTPUT_MB)",
    });
  });

  it('a work dir whose allocated blocks pass SANDBOX_MAX_OUTPUT_MB while it runs: the engine is stopped', async () => {
    const id = await pastTheScreen('fallocate', 'shell fallocate -l 300M big.dat\nshell sleep 30\n');
    const started = Date.now();
    const job = await finalJob(id);
    expect({ status: job.status, error: job.error }).toEqual({
      status: 'FAILED',
      error: 'the work dir passed 200 MiB on disk (SANDBOX_MAX_OUTPUT_MB): the engine was stopped',
    });
    expect(Date.now() - started).toBeLessThan(25_000);
  });
});

afterAll(() => {
  // no engine of this file's jobs outlived it
  const left = () => {
    try {
      return execFileSync('pgrep', ['-u', 'molq-sandbox', '-a', '-f', world.env.WORK_DIR], { encoding: 'utf8' });
    } catch {
      return '';
    }
  };
  expect(left()).toBe('');
});
