import { DataSource } from 'typeorm';
import { QUEUE_NAMES, QueueName } from '../../queues';
import { QueueProducer } from '../../src/queueing/queue-producer';
import { eventually } from '../support/eventually';
import { xtbJob } from '../support/specs';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// Retrying failed jobs through the real API and every pool (real LAMMPS and xtb).
const world = newWorld();
const ctx = usePlatform(world, [...QUEUE_NAMES]);
const http = () => ctx.platform.http();
const sql = (text: string, params: unknown[] = []) => ctx.platform.app.get(DataSource).query(text, params);
const getJob = async (id: string) =>
  (await http().get(`/api/v1/jobs/${id}`).set('Authorization', ctx.user.auth).expect(200)).body;
const retry = (body: object, auth = ctx.user.auth) =>
  http().post('/api/v1/jobs/retry').set('Authorization', auth).send(body);
/** What a failure of the machine (not of the chemistry) leaves: the job FAILED with a reason, its earlier entries finished. */
const failByHand = (ids: string[], error: string) =>
  sql(`UPDATE jobs SET status = 'FAILED', error = $2, finished_at = now() WHERE id = ANY($1)`, [ids, error]).then(() =>
    sql(
      `INSERT INTO job_events (job_id, from_status, to_status, actor, message) SELECT unnest($1::uuid[]), 'COMPLETED', 'FAILED', 'test', $2`,
      [ids, error],
    ),
  );

describe('retrying failed jobs', () => {
  it('a LAMMPS script that fails: retried, it runs again from ingestion and fails again; the timeline shows both attempts', async () => {
    const id = (
      await http()
        .post('/api/v1/jobs')
        .set('Authorization', ctx.user.auth)
        .field('spec', JSON.stringify({ type: 'md', engine: 'lammps', name: 'bad box', md: { script: 'in.bad' } }))
        .attach('files', Buffer.from('units lj\nrun 10\n'), 'in.bad') // passes the screen, fails in LAMMPS
        .expect(202)
    ).body.id;
    await eventually(async () => (await getJob(id)).status === 'FAILED', 60_000, 200);
    // its md entry failed too (Bull Board's FAILED tab), under the same id the retried run needs
    const md = ctx.platform.app.get(QueueProducer).queue(QueueName.Md);
    await eventually(async () => (await md.getJobState(id)) === 'failed', 5_000, 50);
    const res = await retry({ jobIds: [id] }).expect(200);
    expect(res.body).toEqual({ retried: 1, jobIds: [id], more: false });
    await eventually(
      async () => {
        const job = await getJob(id);
        return job.status === 'FAILED' && job.events.filter((e: { to: string }) => e.to === 'FAILED').length === 2;
      },
      60_000,
      200,
    );
    const job = await getJob(id);
    const timeline = job.events.map((e: { from: string | null; to: string }) => `${e.from ?? '-'}>${e.to}`);
    const second = timeline.indexOf('FAILED>PENDING');
    expect(second).toBeGreaterThan(0);
    expect(timeline.slice(0, second)).toEqual(expect.arrayContaining(['PENDING>QUEUED', 'RUNNING>FAILED']));
    expect(timeline.slice(second)).toEqual(
      expect.arrayContaining(['PENDING>QUEUED', 'QUEUED>DISPATCHED', 'RUNNING>FAILED']),
    );
    expect(job.events[second]).toMatchObject({
      actor: `user:${ctx.user.id}`,
      message: 'retried by its owner: a new attempt',
    });
    expect(job.error).toMatch(/Run command before simulation box is defined/);
    const entry = (await md.getJob(id))!;
    expect({ state: await entry.getState(), reason: entry.failedReason, tries: entry.attemptsMade }).toEqual({
      state: 'failed',
      reason: job.error,
      tries: 1,
    });
  });

  it("a batch's failed jobs, chosen by error text or all of them, run again to COMPLETED; finished ones are left alone; the final report is made anew each time", async () => {
    const batch = await http()
      .post('/api/v1/jobs/bulk')
      .set('Authorization', ctx.user.auth)
      .send({ name: 'retry me', jobs: [xtbJob({ name: 'a' }), xtbJob({ name: 'b' }), xtbJob({ name: 'c' })] })
      .expect(202);
    const [a, b, c] = batch.body.jobIds as string[];
    const batchId = batch.body.batchId;
    await eventually(
      async () =>
        (await http().get(`/api/v1/batches/${batchId}`).set('Authorization', ctx.user.auth)).body.reports.final !==
        null,
      60_000,
      200,
    );
    const finalAt = async (): Promise<number> =>
      new Date(
        (await sql('SELECT report_final_at FROM batches WHERE id = $1', [batchId]))[0].report_final_at ?? 0,
      ).getTime();
    const firstReport = await finalAt();
    await failByHand([a], 'SCF did not converge');
    await failByHand([b], 'node lost');

    const other = await ctx.platform.newUser();
    expect((await retry({ batchId }, other.auth).expect(200)).body).toEqual({ retried: 0, jobIds: [], more: false });
    expect((await retry({ batchId, error: 'converge', engine: 'xtb' }).expect(200)).body.jobIds).toEqual([a]);
    await eventually(async () => (await getJob(a)).status === 'COMPLETED', 60_000, 200);
    // every job final again (b FAILED counts): the batch's final report is made anew
    await eventually(async () => (await finalAt()) > firstReport, 60_000, 200);
    const secondReport = await finalAt();
    expect((await retry({ batchId }).expect(200)).body.jobIds).toEqual([b]);
    await eventually(async () => (await getJob(b)).status === 'COMPLETED', 60_000, 200);
    expect((await getJob(c)).events.filter((e: { to: string }) => e.to === 'PENDING')).toHaveLength(1); // never retried
    await eventually(async () => (await finalAt()) > secondReport, 60_000, 200);
    const a2 = await getJob(a);
    expect(a2.error).toBeNull();
    expect(a2.artifacts.map((x: { name: string }) => x.name)).toContain('report.json');
    // nothing failed is left to retry
    expect((await retry({ batchId }).expect(200)).body.retried).toBe(0);
  });

  it.each([
    [{ jobIds: ['not-a-uuid'] }, /^jobIds: each must be a job id/],
    [{ jobIds: [] }, /^jobIds: name at least one job/],
    [{ engine: 'orca' }, /^engine: must be one of/],
    [{ createdFrom: 'yesterday' }, /^createdFrom: must be an ISO 8601 date/],
    [{ status: 'COMPLETED' }, /property status should not exist/],
  ])('refuses %j with a 400 naming the field', async (body, message) => {
    const res = await retry(body).expect(400);
    expect(res.body.message.join(' | ')).toMatch(message);
  });
});
