import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { JobSpec } from '../../src/jobs/job-spec';
import { Job } from '../../src/jobs/job.entity';
import { renderDeck } from '../../src/rendering/deck-renderer';
import { SlurmDriver } from '../../src/slurm/slurm-driver';
import { HostKeyMismatchError, SshConnection } from '../../src/slurm/ssh-connection';
import { eventually } from '../support/eventually';
import { ETHANOL } from '../support/specs';
import { clusterEnv, ownSshd } from '../support/test-cluster';

// Real Slurm and a real sshd on 127.0.0.1:2222, set up by scripts/ensure-slurm.sh (the test command runs it).
const settings = () => {
  const env = clusterEnv();
  return {
    host: env.SSH_HOST,
    port: 2222,
    username: env.SSH_USER,
    privateKey: readFileSync(env.SSH_KEY_FILE),
    hostFingerprint: env.SSH_HOST_FINGERPRINT,
  };
};
const ssh = new SshConnection(settings());
const driver = new SlurmDriver(ssh, {
  workRoot: `/home/molqbridge/molq-work-${randomUUID().slice(0, 8)}`,
  name: 'test',
  programs: { lmp: 'lmp', xtb: 'xtb', g16: 'g16' },
  setup: {},
});

afterAll(() => ssh.close());

function melt(steps: number, name = 'melt'): Job {
  const spec: JobSpec = {
    resources: { tasks: 1, walltimeMinutes: 10, memoryMb: 500 },
    md: { template: 'lj-melt', params: { atomsPerSide: 4, temperature: 3, steps, thermoEvery: 50, seed: 1 } },
  };
  return Object.assign(new Job(), { id: randomUUID(), type: 'md', engine: 'lammps', name, spec });
}

async function submit(job: Job) {
  const deck = renderDeck(job);
  return driver.submit(
    deck.manifest,
    deck.files.map((f) => ({ name: f.name, content: f.content })),
  );
}

describe('Slurm over ssh2 (real sshd, real slurmctld/slurmd, real LAMMPS)', () => {
  it('refuses a server whose host key is not the pinned one', async () => {
    const wrong = new SshConnection({
      ...settings(),
      hostFingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    });
    await expect(wrong.connect()).rejects.toBeInstanceOf(HostKeyMismatchError);
    await expect(wrong.connect()).rejects.toThrow(/host key of 127\.0\.0\.1:2222 is SHA256:\S+, not the pinned/);
  });

  it('submits an LJ melt with sbatch, sees it complete in one squeue call, reads its log over SFTP', async () => {
    const job = melt(500);
    const { schedulerId, reattached } = await submit(job);
    expect(schedulerId).toMatch(/^\d+$/);
    expect(reattached).toBe(false);
    await eventually(
      async () => (await driver.poll([schedulerId])).get(schedulerId)?.phase === 'completed',
      60_000,
      300,
    );
    const log = (await driver.readOutput(job.id, 'log.lammps')).toString();
    expect(log).toContain('Loop time of');
  });

  it("reads progress from the tail of a job's remote log: LAMMPS steps, xtb optimisation cycles", async () => {
    const md = melt(500);
    const qc = Object.assign(new Job(), {
      id: randomUUID(),
      type: 'qc',
      engine: 'xtb',
      name: 'ethanol opt',
      spec: {
        resources: { tasks: 1, walltimeMinutes: 10, memoryMb: 500 },
        qc: { xyz: ETHANOL, charge: 0, multiplicity: 1, task: 'opt', gfn: 2 },
      } as JobSpec,
    });
    const ids = [await submit(md), await submit(qc)].map((r) => r.schedulerId);
    await eventually(
      async () => [...(await driver.poll(ids)).values()].filter((s) => s.phase === 'completed').length === 2,
      60_000,
      300,
    );
    // the logs of finished runs: the last thermo step of 500, and every optimisation cycle xtb printed
    expect(await driver.progress(md.id, 'lammps', 500)).toBe(0.99);
    const cycles = ((await driver.readOutput(qc.id, 'stdout.log')).toString().match(/CYCLE\s+\d+/g) ?? []).length;
    expect(cycles).toBeGreaterThan(0);
    expect(await driver.progress(qc.id, 'xtb', 0)).toBeCloseTo(Math.min(0.99, 1 - 0.8 ** cycles), 10);
  });

  it('never submits one job twice: a second submit re-attaches to the job of that name', async () => {
    const job = melt(200);
    const first = await submit(job);
    const second = await submit(job);
    expect(second).toEqual({ schedulerId: first.schedulerId, reattached: true });
    const named = await ssh.exec(`squeue -h -t all -n molq-${job.id} -o %i`);
    expect(named.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('polls any number of jobs with one exec call, and cancels with scancel', async () => {
    const jobs = [melt(10_000_000, 'a'), melt(10_000_000, 'b'), melt(10_000_000, 'c')];
    const ids: string[] = [];
    for (const j of jobs) ids.push((await submit(j)).schedulerId);
    const before = ssh.execCount;
    const states = await driver.poll(ids);
    expect(ssh.execCount - before).toBe(1);
    expect([...states.keys()].sort()).toEqual([...ids].sort());
    for (const id of ids) await driver.cancel(id);
    await eventually(
      async () => [...(await driver.poll(ids)).values()].every((s) => s.phase === 'cancelled'),
      30_000,
      300,
    );
  });

  it('hostile names, paths and arguments reach Slurm as data, never as shell', async () => {
    const job = melt(100, 'x$(touch /tmp/molq-pwned)`touch /tmp/molq-pwned`;\'"\n');
    const hostile = new SlurmDriver(ssh, {
      workRoot: `/home/molqbridge/molq work $(touch /tmp/molq-pwned) 'q'`,
      name: 'test',
      programs: { lmp: 'lmp', xtb: 'xtb', g16: 'g16' },
      setup: {},
    });
    const deck = renderDeck(job);
    const { schedulerId } = await hostile.submit(
      deck.manifest,
      deck.files.map((f) => ({ name: f.name, content: f.content })),
    );
    await eventually(
      async () => (await hostile.poll([schedulerId])).get(schedulerId)?.phase === 'completed',
      60_000,
      300,
    );
    expect((await hostile.readOutput(job.id, 'log.lammps')).toString()).toContain('Loop time of');
    expect(existsSync('/tmp/molq-pwned')).toBe(false);
  });

  it('reconnects by itself after its sshd restarts and drops the connection, exec and SFTP alike (an sshd of this test, on port 2223)', async () => {
    const sshd = ownSshd(2223);
    sshd.stop();
    sshd.start();
    const own = new SshConnection({ ...settings(), port: 2223 });
    try {
      await eventually(
        async () => (await own.exec('echo before').catch(() => ({ stdout: '' }))).stdout.trim() === 'before',
        10_000,
        200,
      );
      sshd.stop();
      await expect(own.exec('echo during')).rejects.toThrow();
      await expect(own.listFiles('/home/molqbridge')).rejects.toThrow(); // an SFTP call during the outage too
      sshd.start();
      await eventually(
        async () => (await own.exec('echo after').catch(() => ({ stdout: '' }))).stdout.trim() === 'after',
        20_000,
        200,
      );
      // the failed SFTP session is not kept: SFTP works again with the connection (it stayed broken for good before)
      await eventually(
        async () => Array.isArray(await own.listFiles('/home/molqbridge').catch(() => null)),
        20_000,
        200,
      );
    } finally {
      own.close();
      sshd.stop();
    }
  });
});
