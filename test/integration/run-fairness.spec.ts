import { execFileSync } from 'node:child_process';
import { QueueName } from '../../queues';
import { eventually } from '../support/eventually';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// Issue 27, point 6: one user's long run must not hold a run pool against everyone else, and the
// operator sets the longest walltime a job may ask for.

const world = newWorld({ WALLTIME_MAX_MINUTES_MD: '30' });
const ctx = usePlatform(world, [QueueName.Ingestion, QueueName.Md, QueueName.Upload, QueueName.Reports]);

const meltJob = (name: string, steps: number, walltimeMinutes = 10) => ({
  type: 'md',
  engine: 'lammps',
  name,
  md: { template: 'lj-melt', params: { steps, atomsPerSide: 10, thermoEvery: Math.max(1, Math.floor(steps / 100)) } },
  resources: { tasks: 1, walltimeMinutes, memoryMb: 500 },
  reuse: false,
});

const submit = async (auth: string, body: object) =>
  (await ctx.platform.http().post('/api/v1/jobs').set('Authorization', auth).send(body).expect(202)).body.id as string;
const statusOf = async (auth: string, id: string) => (await ctx.platform.job(id, auth)).status as string;

describe('fairness on a run queue', () => {
  it("a user's long runs leave a slot: another user's short job completes while they still run", async () => {
    const hog = ctx.user;
    const other = await ctx.platform.newUser();
    // the hog's two long runs (minutes each) go first
    const long = [
      await submit(hog.auth, meltJob('long 1', 50_000_000)),
      await submit(hog.auth, meltJob('long 2', 50_000_000)),
    ];
    await eventually(async () => (await statusOf(hog.auth, long[0])) === 'RUNNING', 60_000, 200);
    const short = await submit(other.auth, meltJob('short', 100));
    await eventually(async () => (await statusOf(other.auth, short)) === 'COMPLETED', 60_000, 250);
    // meanwhile the hog's first run still runs and its second still waits: one slot each
    expect(await statusOf(hog.auth, long[0])).toBe('RUNNING');
    expect(await statusOf(hog.auth, long[1])).toBe('QUEUED');
    for (const id of long) await ctx.platform.http().post(`/api/v1/jobs/${id}/cancel`).set('Authorization', hog.auth);
    await eventually(async () => (await statusOf(hog.auth, long[0])) === 'CANCELLED', 30_000, 250);
    // the cancelled run's engine is gone, with every process of its sandbox (none reparented to init)
    const left = () => {
      try {
        return execFileSync('pgrep', ['-a', '-f', world.env.WORK_DIR], { encoding: 'utf8' }).trim();
      } catch {
        return '';
      }
    };
    await eventually(() => left() === '', 10_000, 200).catch(() => expect(left()).toBe(''));
  }, 150_000);

  it('a walltime above the operator’s ceiling is refused with 400 naming the field', async () => {
    const res = await ctx.platform
      .http()
      .post('/api/v1/jobs')
      .set('Authorization', ctx.user.auth)
      .send(meltJob('too long', 100, 31));
    expect({ status: res.status, message: res.body.message }).toEqual({
      status: 400,
      message: [
        "resources.walltimeMinutes: at most 30 minutes for md jobs on this server (the operator's WALLTIME_MAX_MINUTES_MD)",
      ],
    });
    await submit(ctx.user.auth, meltJob('just right', 100, 30));
  });
});
