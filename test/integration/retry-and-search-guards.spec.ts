import { DataSource } from 'typeorm';
import { JobStatus } from '../../src/jobs/job-status';
import { JobPipeline } from '../../src/jobs/job-pipeline';
import { UsersService } from '../../src/users/users.service';
import { newJob } from '../support/job-factory';
import { xtbJob } from '../support/specs';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// Retry and search through the real API (issue 27, 7e and 7f): a revoked `scripts` permission
// also stops re-running an uploaded script, and a NUL byte in a search field is a 400 naming it.
const world = newWorld();
const ctx = usePlatform(world, []); // no pools: jobs stay where the test puts them
const http = () => ctx.platform.http();
const retry = (body: object, auth: string) => http().post('/api/v1/jobs/retry').set('Authorization', auth).send(body);

/** A job the API accepted, failed through the state machine (as a run that went wrong would). */
async function failedJob(submitted: Promise<{ body: { id: string } }>): Promise<string> {
  const { id } = (await submitted).body;
  await ctx.platform.app.get(JobPipeline).advance(id, JobStatus.Failed, {
    actor: 'test',
    message: 'engine failed',
    patch: { error: 'engine failed' },
  });
  return id;
}

describe('retry and search guards', () => {
  it('once `scripts` is revoked, retrying a failed uploaded-script job is 403 naming the permission; a template job still retries', async () => {
    const user = await ctx.platform.newUser(['scripts']);
    // an uploaded-script job that failed (written as the API stores one: its script passed the screen then)
    const script = { name: 'in.box', size: 16, sha256: 'a'.repeat(64) };
    const scripted = (
      await newJob(ctx.platform.app.get(DataSource), user.id, JobStatus.Failed, 'md', {
        resources: { tasks: 1, walltimeMinutes: 5, memoryMb: 500 },
        md: { script: script.name, files: [script] },
      })
    ).id;
    const templated = await failedJob(
      http().post('/api/v1/jobs').set('Authorization', user.auth).send(xtbJob()).expect(202),
    );
    await ctx.platform.app.get(UsersService).revoke(user.email, 'scripts');

    for (const body of [{ jobIds: [scripted] }, { jobIds: [scripted, templated] }, {}]) {
      const refused = await retry(body, user.auth);
      expect({ status: refused.status, message: refused.body.message }).toEqual({
        status: 403,
        message: expect.stringMatching(/^scripts: .*uploaded script.*"scripts" permission/),
      });
    }
    expect((await ctx.platform.job(scripted, user.auth)).status).toBe('FAILED');
    expect((await retry({ jobIds: [templated] }, user.auth).expect(200)).body).toMatchObject({ retried: 1 });

    await ctx.platform.app.get(UsersService).grant(user.email, 'scripts');
    expect((await retry({ jobIds: [scripted] }, user.auth).expect(200)).body).toMatchObject({ retried: 1 });
  });

  it('a NUL byte in the list search `q` or in retry `error`/`q` is a 400 naming the field, not a 500', async () => {
    const list = await http().get('/api/v1/jobs').query({ q: 'water\u0000' }).set('Authorization', ctx.user.auth);
    expect({ status: list.status, message: list.body.message }).toEqual({
      status: 400,
      message: [expect.stringMatching(/^q: /)],
    });
    for (const field of ['error', 'q']) {
      const res = await retry({ [field]: 'SCF\u0000' }, ctx.user.auth);
      expect({ status: res.status, message: res.body.message }).toEqual({
        status: 400,
        message: [expect.stringMatching(new RegExp(`^${field}: `))],
      });
    }
  });
});
