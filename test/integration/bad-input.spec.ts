import { JwtService } from '@nestjs/jwt';
import type { Test } from 'supertest';
import { DataSource } from 'typeorm';
import { gaussianJob, meltJob, WATER, xtbJob } from '../support/specs';
import { newWorld, setUpWorld, tearDownWorld } from '../support/test-config';
import { TestPlatform } from '../support/test-master';

const world = newWorld();
const platform = new TestPlatform(world);
let user: Awaited<ReturnType<TestPlatform['newUser']>>;
let other: Awaited<ReturnType<TestPlatform['newUser']>>;
let othersJob: string;

beforeAll(async () => {
  await setUpWorld(world);
  await platform.start([]);
  user = await platform.newUser(['scripts']);
  other = await platform.newUser();
  othersJob = (await platform.http().post('/api/v1/jobs').set('Authorization', other.auth).send(xtbJob()).expect(202))
    .body.id;
});

afterAll(async () => {
  await platform.stop();
  await tearDownWorld(world);
});

type Case = [name: string, send: (auth: string) => Test, status: number, message: RegExp];

const http = () => platform.http();
const post = (body: unknown) => (auth: string) =>
  http()
    .post('/api/v1/jobs')
    .set('Authorization', auth)
    .send(body as object);
const qc = (over: Record<string, unknown>) => post(xtbJob({ qc: { ...xtbJob().qc, ...over } }));
const gqc = (over: Record<string, unknown>) => post(gaussianJob({ qc: { ...gaussianJob().qc, ...over } }));
const md = (over: Record<string, unknown>) => post(meltJob({ md: over }));
const res = (over: Record<string, unknown>) => post(xtbJob({ resources: over }));
const multipart = (spec: unknown, files: [string, Buffer][], extra?: [string, string]) => (auth: string) => {
  let req = http().post('/api/v1/jobs').set('Authorization', auth);
  if (spec !== undefined) req = req.field('spec', typeof spec === 'string' ? spec : JSON.stringify(spec));
  if (extra) req = req.field(extra[0], extra[1]);
  for (const [name, content] of files) req = req.attach('files', content, name);
  return req;
};
/** supertest's form-data keeps only a file name's basename; a hostile client does not. */
const rawMultipart = (fileName: string) => (auth: string) => {
  const b = 'molqBoundary7MA4YWxkTrZu0gW';
  const body = [
    `--${b}`,
    'Content-Disposition: form-data; name="spec"',
    '',
    JSON.stringify(scriptSpec),
    `--${b}`,
    'Content-Disposition: form-data; name="files"; filename="in.lj"',
    'Content-Type: text/plain',
    '',
    'units lj',
    `--${b}`,
    `Content-Disposition: form-data; name="files"; filename="${fileName}"`,
    'Content-Type: text/plain',
    '',
    'x',
    `--${b}--`,
    '',
  ].join('\r\n');
  return http()
    .post('/api/v1/jobs')
    .set('Authorization', auth)
    .set('Content-Type', `multipart/form-data; boundary=${b}`)
    .send(body);
};
const scriptSpec = { type: 'md', engine: 'lammps', md: { script: 'in.lj' } };
const okScript: [string, Buffer] = ['in.lj', Buffer.from('units lj\nrun 10\n')];
const atoms = (n: number) => Array.from({ length: n }, (_, i) => `H 0 0 ${i}`).join('\n');
const withToken = (token: string) => () => http().get('/api/v1/jobs').set('Authorization', token);

const CASES: Case[] = [
  // who is calling
  ['no token', () => http().get('/api/v1/jobs'), 401, /authorization: missing Bearer token/],
  ['Basic credentials', withToken('Basic dXNlcjpwYXNz'), 401, /authorization: malformed/],
  ['garbage bearer', withToken('Bearer not-a-jwt'), 401, /authorization: malformed/],
  [
    'forged token',
    withToken(`Bearer ${new JwtService({ secret: 'x'.repeat(40) }).sign({ sub: 'u', role: 'admin' })}`),
    401,
    /authorization: invalid token/,
  ],
  [
    'expired token',
    () =>
      withToken(
        `Bearer ${new JwtService({ secret: world.env.JWT_SECRET }).sign({ sub: user.id, role: 'user' }, { expiresIn: -10 })}`,
      )(),
    401,
    /token expired/,
  ],
  [
    'token with a made-up role',
    () =>
      withToken(`Bearer ${new JwtService({ secret: world.env.JWT_SECRET }).sign({ sub: user.id, role: 'root' })}`)(),
    401,
    /invalid token/,
  ],
  [
    'alg none token',
    withToken(
      `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"sub":"x","role":"admin"}`).toString('base64url')}.x`,
    ),
    401,
    /invalid token/,
  ],
  // JSON shape
  [
    'malformed JSON',
    (a) =>
      http()
        .post('/api/v1/jobs')
        .set('Authorization', a)
        .set('Content-Type', 'application/json')
        .send('{"type": "qc",'),
    400,
    /body: malformed JSON/,
  ],
  ['array body', post([xtbJob()]), 400, /body: must be a JSON object/],
  ['empty object', post({}), 400, /type must be one of/],
  ['unknown top-level field', post(xtbJob({ owner: 'someone-else' })), 400, /property owner should not exist/],
  [
    'unknown nested field',
    qc({ basisSet: 'x' }),
    400,
    /qc\.property basisSet should not exist|basisSet should not exist/,
  ],
  ['unknown type', post(xtbJob({ type: 'dft' })), 400, /type must be one of/],
  ['unknown engine', post(xtbJob({ engine: 'orca' })), 400, /engine must be one of/],
  ['engine that does not run the type', post(meltJob({ engine: 'xtb' })), 400, /engine: xtb does not run md jobs/],
  ['priority as a string', post(xtbJob({ priority: '1' })), 400, /priority must be an integer/],
  ['priority 0', post(xtbJob({ priority: 0 })), 400, /priority must not be less than 1/],
  ['priority 11', post(xtbJob({ priority: 11 })), 400, /priority must not be greater than 10/],
  ['name with a control character', post(xtbJob({ name: 'a\u0007b' })), 400, /name must be 1-120 printable/],
  ['name too long', post(xtbJob({ name: 'n'.repeat(121) })), 400, /name must be 1-120/],
  // labels (issue 28.2): the message names the label
  ['label name with a space', post(xtbJob({ labels: { 'r OH': 0.92 } })), 400, /^labels\.r OH: a label name is 1-40/],
  ['label name from a formula', post(xtbJob({ labels: { '=cmd': 1 } })), 400, /^labels\.=cmd: a label name/],
  [
    'label named as a column',
    post(xtbJob({ labels: { status: 'x' } })),
    400,
    /^labels\.status: the export has a column/,
  ],
  [
    'label value an object',
    post(xtbJob({ labels: { r_OH: { v: 1 } } })),
    400,
    /^labels\.r_OH: must be a number or text/,
  ],
  ['label value true', post(xtbJob({ labels: { ok: true } })), 400, /^labels\.ok: must be a number or text/],
  [
    'label text too long',
    post(xtbJob({ labels: { note: 'n'.repeat(201) } })),
    400,
    /^labels\.note: text of at most 200/,
  ],
  ['label text with a newline', post(xtbJob({ labels: { note: 'a\nb' } })), 400, /^labels\.note: text without control/],
  ['labels as a list', post(xtbJob({ labels: ['r_OH', 0.92] })), 400, /^labels: must be an object/],
  [
    '17 labels',
    post(xtbJob({ labels: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`l${i}`, i])) })),
    400,
    /^labels: at most 16 labels/,
  ],
  [
    'a bad label in a batch names its job',
    (a) =>
      http()
        .post('/api/v1/jobs/bulk')
        .set('Authorization', a)
        .send({ jobs: [xtbJob({ labels: { r_OH: 0.9 } }), xtbJob({ labels: { 'r OH': 0.92 } })] }),
    400,
    /^jobs\.1\.labels\.r OH: a label name/,
  ],
  // resources
  ['zero tasks', res({ tasks: 0 }), 400, /resources\.tasks must not be less than 1/],
  ['tasks as a string', res({ tasks: '4' }), 400, /resources\.tasks must be an integer/],
  ['absurd walltime', res({ walltimeMinutes: 1e9 }), 400, /resources\.walltimeMinutes must not be greater/],
  ['partition with shell characters', res({ partition: 'short;rm -rf ~' }), 400, /resources\.partition must be 1-32/],
  ['negative memory', res({ memoryMb: -1 }), 400, /resources\.memoryMb must not be less/],
  ['resources not an object', post(xtbJob({ resources: 'big' })), 400, /resources/],
  // quantum chemistry
  ['qc job without qc', post({ type: 'qc', engine: 'xtb' }), 400, /qc is required for a qc job/],
  ['missing xyz', post(xtbJob({ qc: { task: 'sp' } })), 400, /qc\.xyz must be a string/],
  ['xyz not a string', qc({ xyz: 42 }), 400, /qc\.xyz must be a string/],
  ['unknown element', qc({ xyz: '1\nx\nQq 0 0 0' }), 400, /qc\.xyz: line 3: unknown element symbol "Qq"/],
  ['NaN coordinate', qc({ xyz: 'O 0 0 NaN' }), 400, /qc\.xyz: line 1: "NaN" is not a number/],
  ['501 atoms', qc({ xyz: atoms(501) }), 400, /qc\.xyz: more than 500 atoms/],
  [
    'atom count mismatch',
    qc({ xyz: `5\nwater\n${WATER.split('\n').slice(2).join('\n')}` }),
    400,
    /qc\.xyz: line 1: first line says 5 atoms but 3 follow/,
  ],
  [
    'xyz of 70,000 characters',
    qc({ xyz: 'H 0 0 0\n'.repeat(9000) }),
    400,
    /qc\.xyz must be shorter than or equal to 60000/,
  ],
  ['fractional charge', qc({ charge: 1.5 }), 400, /qc\.charge must be an integer/],
  [
    'odd multiplicity for an even electron count',
    qc({ multiplicity: 2 }),
    400,
    /qc\.multiplicity: multiplicity 2 is impossible with 10 electrons/,
  ],
  ['multiplicity 0', qc({ multiplicity: 0 }), 400, /qc\.multiplicity must not be less than 1/],
  ['unknown task', qc({ task: 'md' }), 400, /qc\.task must be one of/],
  ['gaussian without method', gqc({ method: undefined }), 400, /qc\.method: required for gaussian/],
  ['gaussian without basis', gqc({ basis: undefined }), 400, /qc\.basis: required for gaussian/],
  ['route injection in method', gqc({ method: 'B3LYP\n#p Opt' }), 400, /qc\.method must be a Gaussian method keyword/],
  ['xtb with a method', qc({ method: 'B3LYP' }), 400, /qc\.method: not used by xtb/],
  ['GFN level 3', qc({ gfn: 3 }), 400, /qc\.gfn must be one of/],
  ['gaussian with a GFN level', gqc({ gfn: 2 }), 400, /qc\.gfn: only for xtb/],
  // molecular dynamics
  ['md job without md', post({ type: 'md', engine: 'lammps' }), 400, /md is required for an md job/],
  [
    'template and script',
    md({ template: 'lj-melt', script: 'in.lj' }),
    400,
    /md: give either template or script, not both/,
  ],
  ['unknown template', md({ template: 'water-box' }), 400, /md\.template must be one of/],
  ['zero steps', md({ template: 'lj-melt', params: { steps: 0 } }), 400, /md\.params\.steps must not be less than 1/],
  [
    'huge box',
    md({ template: 'lj-melt', params: { atomsPerSide: 1000 } }),
    400,
    /md\.params\.atomsPerSide must not be greater/,
  ],
  [
    'temperature as text',
    md({ template: 'lj-melt', params: { temperature: 'hot' } }),
    400,
    /md\.params\.temperature must be a number/,
  ],
  ['script named but not uploaded', md({ script: 'in.lj' }), 400, /md\.script: in\.lj was not uploaded/],
  ['script name with a path', md({ script: '../in.lj' }), 400, /md\.script must be a plain file name/],
  ['md job with a qc section', post(meltJob({ qc: xtbJob().qc })), 400, /qc: not allowed for an md job/],
  // sizes
  [
    '10 MB body',
    post(xtbJob({ qc: { ...xtbJob().qc, xyz: 'x'.repeat(10 * 1024 * 1024) } })),
    400,
    /qc\.xyz must be shorter/,
  ],
  ['20 MB body', post(xtbJob({ name: 'y'.repeat(20 * 1024 * 1024) })), 413, /body: larger than 16mb/],
  // multipart uploads
  [
    'file name with a path',
    rawMultipart('../../etc/passwd'),
    400,
    /files: file name "\.\.\/\.\.\/etc\/passwd" is not allowed/,
  ],
  ['absolute file name', rawMultipart('/etc/passwd'), 400, /files: file name "\/etc\/passwd" is not allowed/],
  [
    'file name with NUL',
    rawMultipart('data\u0000.lj'),
    400,
    /Malformed part header|files: file name .* is not allowed/,
  ],
  [
    'hidden file name',
    multipart(scriptSpec, [okScript, ['.bashrc', Buffer.from('x')]]),
    400,
    /files: file name "\.bashrc" is not allowed/,
  ],
  ['same file twice', multipart(scriptSpec, [okScript, okScript]), 400, /files: "in\.lj" uploaded twice/],
  [
    'oversize upload',
    multipart(scriptSpec, [okScript, ['big.data', Buffer.alloc(17 * 1024 * 1024, 32)]]),
    413,
    /File too large/,
  ],
  [
    '21 files',
    multipart(
      scriptSpec,
      Array.from({ length: 21 }, (_, i) => [`f${i}.lj`, Buffer.from('x')] as [string, Buffer]),
    ),
    400,
    /Too many (files|parts)/,
  ],
  ['spec not JSON', multipart('{type:', [okScript]), 400, /spec: is not valid JSON/],
  ['no spec field', multipart(undefined, [okScript]), 400, /spec: multipart submissions carry the job as JSON/],
  [
    'LAMMPS shell command',
    multipart(scriptSpec, [['in.lj', Buffer.from('units lj\n  shell rm -rf ~\n')]]),
    400,
    /files\.in\.lj: line 2: the "shell" command is not allowed/,
  ],
  [
    'binary script',
    multipart(scriptSpec, [['in.lj', Buffer.from([1, 0, 2, 3])]]),
    400,
    /files\.in\.lj: is not a text file/,
  ],
  [
    'upload named like the rendered job.json',
    multipart(scriptSpec, [okScript, ['job.json', Buffer.from('{}')]]),
    400,
    /files: "job\.json" is a name molq writes itself/,
  ],
  [
    'upload named like the engine log',
    multipart(scriptSpec, [okScript, ['stdout.log', Buffer.from('x')]]),
    400,
    /files: "stdout\.log" is a name molq writes itself/,
  ],
  ['files with a qc job', multipart(xtbJob(), [okScript]), 400, /files: qc jobs take their molecule in qc\.xyz/],
  [
    'extra multipart field',
    multipart(scriptSpec, [okScript], ['owner', 'x']),
    400,
    /owner: unexpected multipart field/,
  ],
  [
    'unknown field in multipart spec',
    multipart({ ...scriptSpec, status: 'COMPLETED' }, [okScript]),
    400,
    /property status should not exist/,
  ],
  // bulk
  [
    'empty batch',
    (a) => http().post('/api/v1/jobs/bulk').set('Authorization', a).send({ jobs: [] }),
    400,
    /jobs must contain at least 1 elements/,
  ],
  [
    '1,001 jobs',
    (a) =>
      http()
        .post('/api/v1/jobs/bulk')
        .set('Authorization', a)
        .send({ jobs: Array.from({ length: 1001 }, () => xtbJob()) }),
    400,
    /jobs must contain no more than 1000 elements/,
  ],
  [
    'one bad job in a batch',
    (a) =>
      http()
        .post('/api/v1/jobs/bulk')
        .set('Authorization', a)
        .send({ jobs: [xtbJob(), xtbJob(), xtbJob({ qc: { ...xtbJob().qc, multiplicity: 2 } })] }),
    400,
    /jobs\.2\.qc\.multiplicity: multiplicity 2 is impossible/,
  ],
  [
    'one unknown field in a batch',
    (a) =>
      http()
        .post('/api/v1/jobs/bulk')
        .set('Authorization', a)
        .send({ jobs: [xtbJob(), xtbJob({ hack: 1 })] }),
    400,
    /jobs\.1\.property hack should not exist|hack should not exist/,
  ],
  [
    'jobs not an array',
    (a) => http().post('/api/v1/jobs/bulk').set('Authorization', a).send({ jobs: xtbJob() }),
    400,
    /jobs must be an array/,
  ],
  [
    'an Idempotency-Key with a control character',
    (a) => http().post('/api/v1/jobs').set('Authorization', a).set('Idempotency-Key', 'abc\tdef').send(xtbJob()),
    400,
    /^Idempotency-Key: must be one value of 1-255 visible ASCII/,
  ],
  [
    'an Idempotency-Key of 256 characters',
    (a) =>
      http()
        .post('/api/v1/jobs/bulk')
        .set('Authorization', a)
        .set('Idempotency-Key', 'k'.repeat(256))
        .send({ jobs: [xtbJob()] }),
    400,
    /^Idempotency-Key: must be one value/,
  ],
  // ids and queries
  [
    'job id not a UUID',
    (a) => http().get('/api/v1/jobs/1%20OR%201=1').set('Authorization', a),
    400,
    /id: must be a job id/,
  ],
  [
    "another user's job",
    (a) => http().get(`/api/v1/jobs/${othersJob}`).set('Authorization', a),
    404,
    /id: no such job/,
  ],
  [
    "cancel of another user's job",
    (a) => http().post(`/api/v1/jobs/${othersJob}/cancel`).set('Authorization', a),
    404,
    /id: no such job/,
  ],
  [
    'unknown job',
    (a) => http().get('/api/v1/jobs/6f1c1d1e-9c55-4e55-9d55-1a2b3c4d5e6f').set('Authorization', a),
    404,
    /id: no such job/,
  ],
  [
    'cancel with a bad id',
    (a) => http().post('/api/v1/jobs/xyz/cancel').set('Authorization', a),
    400,
    /id: must be a job id/,
  ],
  [
    'batch id not a UUID',
    (a) => http().get('/api/v1/batches/abc').set('Authorization', a),
    400,
    /id: must be a batch id/,
  ],
  [
    'page size 1000',
    (a) => http().get('/api/v1/jobs?pageSize=1000').set('Authorization', a),
    400,
    /pageSize must not be greater than 100/,
  ],
  [
    'unknown status filter',
    (a) => http().get('/api/v1/jobs?status=DONE').set('Authorization', a),
    400,
    /status must be one of/,
  ],
  [
    'negative page',
    (a) => http().get('/api/v1/jobs?page=-1').set('Authorization', a),
    400,
    /page must not be less than 1/,
  ],
  [
    'page past the offset pages',
    (a) => http().get('/api/v1/jobs?page=501&pageSize=20').set('Authorization', a),
    400,
    /^page: page numbers reach the first 10,000 jobs; read further with cursor/,
  ],
  [
    'a made-up cursor',
    (a) =>
      http()
        .get(`/api/v1/jobs?cursor=${Buffer.from('["o","1 OR 1=1","x"]').toString('base64url')}`)
        .set('Authorization', a),
    400,
    /^cursor: not a cursor from this list/,
  ],
  [
    'a cursor that is not base64 JSON',
    (a) => http().get('/api/v1/jobs?cursor=%27%3B%20DROP%20TABLE%20jobs').set('Authorization', a),
    400,
    /^cursor: not a cursor/,
  ],
  [
    'unknown query parameter',
    (a) => http().get('/api/v1/jobs?owner=someone').set('Authorization', a),
    400,
    /property owner should not exist/,
  ],
  // accounts
  [
    'register with a bad email',
    () => http().post('/api/v1/auth/register').send({ email: 'not-an-email', password: 'long enough pw' }),
    400,
    /email must be an email/,
  ],
  [
    'register with a short password',
    () => http().post('/api/v1/auth/register').send({ email: 'a@b.org', password: 'short' }),
    400,
    /password must be at least 10/,
  ],
  [
    'register as admin',
    () => http().post('/api/v1/auth/register').send({ email: 'c@d.org', password: 'long enough pw', role: 'admin' }),
    400,
    /property role should not exist/,
  ],
  [
    'login without password',
    () => http().post('/api/v1/auth/login').send({ email: 'a@b.org' }),
    400,
    /password must be a string/,
  ],
];

describe(`bad input sweep (${CASES.length} requests)`, () => {
  it.each(CASES)('%s → 4xx naming the problem', async (_name, send, status, message) => {
    const response = await send(user.auth);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    const said = response.body?.message ?? response.text;
    expect({ status: response.status, message: Array.isArray(said) ? said.join(' | ') : String(said) }).toEqual({
      status,
      message: expect.stringMatching(message),
    });
  });

  it('left no job, batch, event or upload behind for the sweeping user', async () => {
    const ds = platform.app.get(DataSource);
    const [{ jobs, batches }] = await ds.query(
      'SELECT (SELECT count(*) FROM jobs WHERE owner_id = $1)::int AS jobs, (SELECT count(*) FROM batches WHERE owner_id = $1)::int AS batches',
      [user.id],
    );
    expect({ jobs, batches }).toEqual({ jobs: 0, batches: 0 });
    const { readdir } = await import('node:fs/promises');
    const stored = await readdir(`${world.env.STORAGE_DIR}/jobs`).catch(() => []);
    expect(stored).toHaveLength(0);
    const [{ admins }] = await ds.query("SELECT count(*)::int AS admins FROM users WHERE role = 'admin'");
    expect(admins).toBe(0);
  });
});
