import { QueueName } from '../../queues';
import { connectSlurm } from '../../src/slurm/connect-slurm';
import { loadConfig } from '../../src/config/load-config';
import { SlurmClusterConfig } from '../../src/slurm/slurm-cluster.config';
import { eventually } from '../support/eventually';
import { ETHANOL, meltJob } from '../support/specs';
import { clusterEnv } from '../support/test-cluster';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// md/qc pools with EXECUTOR=slurm: the same driver as the bridge, straight from a pool that can
// reach the cluster by SSH (the real sshd on 127.0.0.1:2222 and the real single-node Slurm).
const cluster = clusterEnv();
const world = newWorld({ EXECUTOR: 'slurm', SLURM_POLL_MS: '500', ...cluster });
const ctx = usePlatform(world, [QueueName.Ingestion, QueueName.Md, QueueName.Qc, QueueName.Upload, QueueName.Reports]);
const { ssh } = connectSlurm(loadConfig(SlurmClusterConfig, cluster));
afterAll(() => ssh.close());

const submit = async (body: object) =>
  (await ctx.platform.http().post('/api/v1/jobs').set('Authorization', ctx.user.auth).send(body).expect(202)).body
    .id as string;
const getJob = (id: string) => ctx.platform.job(id, ctx.user.auth);
const ended = (id: string, ms = 60_000) =>
  eventually(async () => ['COMPLETED', 'FAILED', 'CANCELLED'].includes((await getJob(id)).status), ms, 250);
const submissions = async (id: string) =>
  (await ssh.exec(`squeue -h -t all -n molq-${id} -o %i`)).stdout.trim().split('\n').filter(Boolean);

describe('md/qc pools with the slurm executor (real Slurm over ssh2)', () => {
  it('an LJ melt and an xtb optimisation run through sbatch to COMPLETED with progress and reports', async () => {
    const md = await submit(meltJob({ md: { template: 'lj-melt', params: { atomsPerSide: 6, steps: 3000 } } }));
    const qc = await submit({ type: 'qc', engine: 'xtb', qc: { xyz: ETHANOL, task: 'opt' } });
    const progress: number[] = [];
    await eventually(
      async () => {
        const job = await getJob(md);
        if (job.status === 'RUNNING' && job.progress > 0) progress.push(job.progress);
        return ['COMPLETED', 'FAILED'].includes(job.status);
      },
      60_000,
      200,
    );
    await ended(qc);
    for (const id of [md, qc]) {
      const job = await getJob(id);
      expect({ status: job.status, error: job.error }).toEqual({ status: 'COMPLETED', error: null });
      expect(job.schedulerId).toMatch(/^slurm:127\.0\.0\.1:\d+$/); // executor and cluster named
      const slurmId = job.schedulerId.split(':').pop();
      expect(job.events.map((e: { message: string }) => e.message)).toEqual(
        expect.arrayContaining([
          'taken by the slurm executor',
          `${job.engine === 'xtb' ? 'xtb' : 'lmp'} started (Slurm job ${slurmId})`,
        ]),
      );
      expect(job.artifacts.map((a: { name: string }) => a.name)).toEqual(
        expect.arrayContaining(['report.html', 'stdout.log']),
      );
      expect(await submissions(id)).toEqual([slurmId]);
    }
    expect(progress.length).toBeGreaterThan(0); // read from the remote log.lammps while Slurm ran it
    expect(progress.every((p) => p > 0 && p < 1)).toBe(true);
  });

  it("a user's cancel becomes scancel and the job ends CANCELLED", async () => {
    const id = await submit(meltJob({ md: { template: 'lj-melt', params: { atomsPerSide: 6, steps: 10_000_000 } } }));
    await eventually(async () => (await getJob(id)).status === 'RUNNING', 60_000, 200);
    const schedulerId = (await getJob(id)).schedulerId.split(':').pop();
    await ctx.platform.http().post(`/api/v1/jobs/${id}/cancel`).set('Authorization', ctx.user.auth).expect(200);
    await eventually(
      async () => (await ssh.exec(`squeue -h -t all -j ${schedulerId} -o %T`)).stdout.trim().startsWith('CANCELLED'),
      10_000,
      200,
    );
    expect((await getJob(id)).status).toBe('CANCELLED');
  });

  it('a Slurm job that exits non-zero ends FAILED with the tail of its log', async () => {
    const id = (
      await ctx.platform
        .http()
        .post('/api/v1/jobs')
        .set('Authorization', ctx.user.auth)
        .field('spec', JSON.stringify({ type: 'md', engine: 'lammps', md: { script: 'in.bad' } }))
        .attach('files', Buffer.from('units lj\nrun 10\n'), 'in.bad') // passes the screen, fails in LAMMPS
        .expect(202)
    ).body.id;
    await ended(id);
    const job = await getJob(id);
    expect(job.status).toBe('FAILED');
    expect(job.error).toMatch(
      /^Slurm job \d+ ended FAILED \(NonZeroExitCode\): ERROR: Run command before simulation box is defined$/,
    );
  });

  it('a pool stopped while its Slurm job runs lets go of it; the next pool re-attaches: one sbatch, COMPLETED', async () => {
    const id = await submit(meltJob({ md: { template: 'lj-melt', params: { atomsPerSide: 6, steps: 6000 } } }));
    await eventually(async () => (await getJob(id)).status === 'RUNNING', 60_000, 100);
    const { schedulerId } = await getJob(id);
    const slurmId = schedulerId.split(':').pop();
    await ctx.platform.stopPool(200); // past grace: the job goes back to its queue, Slurm keeps running it
    expect((await ssh.exec(`squeue -h -t all -j ${slurmId} -o %T`)).stdout.trim()).toMatch(
      /^(RUNNING|COMPLETING|COMPLETED)$/,
    );
    await ctx.platform.startPool([QueueName.Md, QueueName.Upload, QueueName.Reports]);
    await ended(id);
    const job = await getJob(id);
    expect(job.status).toBe('COMPLETED');
    expect(job.schedulerId).toBe(schedulerId);
    expect(await submissions(id)).toEqual([slurmId]);
    expect(job.events.map((e: { message: string }) => e.message)).toContain('previous run lost; running again');
  }, 120_000);
});

describe('EXECUTOR=slurm configuration', () => {
  it('names every missing cluster variable at start-up', () => {
    expect(() => newWorld({ EXECUTOR: 'slurm' })).toThrow(
      /SSH_HOST[\s\S]*SSH_USER[\s\S]*SSH_KEY_FILE[\s\S]*SSH_HOST_FINGERPRINT[\s\S]*REMOTE_WORK_DIR/,
    );
    expect(() => newWorld({ EXECUTOR: 'pbs' })).toThrow(/EXECUTOR: must be local or slurm/);
  });
});
