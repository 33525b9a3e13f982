import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { QueueName } from '../../queues';
import { WorkerTokensService } from '../../src/worker-tokens/worker-tokens.service';
import { eventually } from '../support/eventually';
import { xtbJob } from '../support/specs';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// A bridge's signed upload URLs through the real pull API (issue 27, 7i): they take writes while
// the job's lease runs, and refuse them (409) once the lease completed, so the staged files the
// upload stage verifies cannot be replaced behind it.
const world = newWorld();
const ctx = usePlatform(world, [QueueName.Ingestion]); // no md/qc pool: only the "bridge" runs jobs
const http = () => ctx.platform.http();
let bridge: string;

beforeAll(async () => {
  bridge = `Bearer ${(await ctx.platform.app.get(WorkerTokensService).create('campus-upload', ['qc'])).token}`;
});

const post = (path: string, body: object) =>
  http().post(`/api/v1/workers/jobs${path}`).set('Authorization', bridge).send(body);
const put = (url: string, content: Buffer) =>
  http().put(url).set('Content-Type', 'application/octet-stream').send(content);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const status = async (id: string) =>
  (await ctx.platform.app.get(DataSource).query('SELECT status FROM jobs WHERE id = $1', [id]))[0].status;

describe('signed upload URLs of a lease', () => {
  it('write while the lease runs; after complete the same URL answers 409', async () => {
    const { id } = (await http().post('/api/v1/jobs').set('Authorization', ctx.user.auth).send(xtbJob()).expect(202))
      .body;
    await eventually(async () => (await status(id)) === 'QUEUED');
    const [lease] = (await post('/claim', { queues: ['qc'], waitMs: 3000 }).expect(200)).body.jobs;
    const [url] = (
      await post(`/${id}/upload-urls`, { leaseToken: lease.leaseToken, names: ['xtbout.json'] }).expect(200)
    ).body.urls;
    const output = Buffer.from('{"total energy": -5.07}\n');
    await put(url.url, output).expect(201);
    await post(`/${id}/complete`, {
      leaseToken: lease.leaseToken,
      files: [{ name: 'xtbout.json', size: output.length, sha256: sha256(output) }],
    }).expect(200);

    const late = await put(url.url, Buffer.from('{"total energy": 99.99}\n'));
    expect({ status: late.status, message: late.body.message }).toEqual({
      status: 409,
      message: expect.stringMatching(/^key: /),
    });
  });
});
