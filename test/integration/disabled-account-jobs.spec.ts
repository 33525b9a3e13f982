import { DataSource } from 'typeorm';
import { QueueName } from '../../queues';
import { JobStatus } from '../../src/jobs/job-status';
import { QueueProducer } from '../../src/queueing/queue-producer';
import { UsersService } from '../../src/users/users.service';
import { WorkerTokensService } from '../../src/worker-tokens/worker-tokens.service';
import { eventually } from '../support/eventually';
import { newJob } from '../support/job-factory';
import { xtbJob } from '../support/specs';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// A disabled account's waiting jobs do not run (issue 27, 7c), through the real API and pull API:
// the admin's disable cancels them (on their timelines), and a claim skips a job whose owner is disabled.
const world = newWorld();
const ctx = usePlatform(world, [QueueName.Ingestion]); // no md/qc pool: only the "bridge" runs jobs
const http = () => ctx.platform.http();
const sql = (text: string, params: unknown[] = []) => ctx.platform.app.get(DataSource).query(text, params);
const statusOf = async (id: string) => (await sql('SELECT status FROM jobs WHERE id = $1', [id]))[0].status;
let bridge: string;
let admin: string;

beforeAll(async () => {
  bridge = `Bearer ${(await ctx.platform.app.get(WorkerTokensService).create('campus-disable', ['qc'])).token}`;
  const user = await ctx.platform.newUser();
  await ctx.platform.app.get(UsersService).setRole(user.email, 'admin');
  const login = await http()
    .post('/api/v1/auth/login')
    .send({ email: user.email, password: 'correct horse battery staple' })
    .expect(200);
  admin = `Bearer ${login.body.accessToken}`;
});

const claim = (waitMs = 300) =>
  http()
    .post('/api/v1/workers/jobs/claim')
    .set('Authorization', bridge)
    .send({ queues: ['qc'], waitMs });

async function queuedJob(auth: string): Promise<string> {
  const { id } = (await http().post('/api/v1/jobs').set('Authorization', auth).send(xtbJob()).expect(202)).body;
  await eventually(async () => (await statusOf(id)) === JobStatus.Queued);
  return id;
}

describe('a disabled account', () => {
  it("an admin's disable cancels its PENDING and QUEUED jobs with the reason on their timelines; nothing of it is claimed", async () => {
    const user = await ctx.platform.newUser();
    const queued = [await queuedJob(user.auth), await queuedJob(user.auth)];
    const pending = (await newJob(ctx.platform.app.get(DataSource), user.id, JobStatus.Pending)).id;
    await http()
      .post(`/api/v1/admin/users/${user.id}/status`)
      .set('Authorization', admin)
      .send({ status: 'disabled' })
      .expect(201);

    for (const id of [...queued, pending]) {
      expect(await statusOf(id)).toBe(JobStatus.Cancelled);
      const [last] = await sql('SELECT actor, message FROM job_events WHERE job_id = $1 ORDER BY id DESC LIMIT 1', [
        id,
      ]);
      expect(last.message).toMatch(/account disabled/);
    }
    expect((await claim().expect(200)).body.jobs).toEqual([]);
  });

  it('a claim skips a QUEUED job whose owner is disabled (the disable raced it) and cancels it', async () => {
    const user = await ctx.platform.newUser();
    const id = await queuedJob(user.auth);
    await sql(`UPDATE users SET status = 'disabled' WHERE id = $1`, [user.id]); // as if the cancel had not reached it
    expect((await claim().expect(200)).body.jobs).toEqual([]);
    expect(await statusOf(id)).toBe(JobStatus.Cancelled);
    const entry = await ctx.platform.app.get(QueueProducer).queue(QueueName.Qc).getJobState(id);
    expect(entry).toBe('completed'); // its lease ended at once, not put off for another try

    const other = await ctx.platform.newUser(); // an active owner's job is claimed as ever
    const runs = await queuedJob(other.auth);
    expect((await claim(3_000).expect(200)).body.jobs.map((j: { jobId: string }) => j.jobId)).toEqual([runs]);
  });
});
