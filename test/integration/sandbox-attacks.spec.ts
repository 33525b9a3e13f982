import { execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DataSource } from 'typeorm';
import { QueueName } from '../../queues';
import { Artifact } from '../../src/artifacts/artifact.entity';
import { JobStatus } from '../../src/jobs/job-status';
import { QueueProducer } from '../../src/queueing/queue-producer';
import { validateBody } from '../../src/http/validate-body';
import { Storage } from '../../src/storage/storage';
import { CreateJobDto } from '../../src/submissions/dto/create-job.dto';
import { SubmissionService } from '../../src/submissions/submission.service';
import { fileInMemory } from '../../src/submissions/uploaded-file';
import { eventually } from '../support/eventually';
import { newJob } from '../support/job-factory';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// The attack suite of issue 14: every known escape through an uploaded LAMMPS script, submitted
// as a user. Each is tried twice: through the API (the screen answers 400 naming file and line; a
// user without the scripts permission gets 403), and straight into the pipeline as if the screen
// had a hole, where the real LAMMPS runs it in the real sandbox. Then: no marker outside the job's
// work dir, no byte of a planted secret (or of the master's secrets) in any answer, event or
// artifact, no engine left running, the server healthy.

const world = newWorld();
const ctx = usePlatform(world, [QueueName.Ingestion, QueueName.Md, QueueName.Upload, QueueName.Reports]);
const root = join(world.env.WORK_DIR, '..');
const TARGET = join(root, 'attack-target'); // world-writable: only the sandbox stands between a job and it
const PLANTED = join(root, 'planted', 'secret.env'); // world-readable
const SECRET = `molq-planted-${randomBytes(12).toString('hex')}`;

/** A small box so write_* and dump have something to write. */
const BOX =
  'units lj\natom_style atomic\nlattice fcc 0.8442\nregion box block 0 2 0 2 0 2\ncreate_box 1 box\ncreate_atoms 1 box\nmass 1 1.0\npair_style lj/cut 2.5\npair_coeff 1 1 1.0 1.0 2.5\n';

/** What each attack tries; `$T` is the target dir, `$R` the same reached relatively from the job's work dir, `$S` the planted secret. */
const ATTACKS: [string, string, RegExp][] = [
  ['exec: shell', 'shell touch $T/exec-shell', /the "shell" command is not allowed/],
  ['exec: shell inside if … then "…"', 'if "1>0" then "shell touch $T/exec-if"', /the "shell" command is not allowed/],
  [
    'exec: a variable as the command',
    'variable c string shell\n${c} touch $T/exec-var',
    /variable c: "shell" is not a plain value/,
  ],
  [
    'exec: a variable as the command (value from a loop)',
    'variable c equal 1\n${c} touch $T/exec-var2',
    /a variable may not stand for a command/,
  ],
  ['exec: & continuation splitting the word', 'sh&\nell touch $T/exec-amp', /the "shell" command is not allowed/],
  [
    'exec: print … file then include',
    'print "shell touch $T/exec-gen" file gen.in\ninclude gen.in',
    /include: "gen\.in" was not uploaded/,
  ],
  [
    'exec: python',
    'python p here """\nimport os\nos.system("touch $T/exec-python")\n"""\npython p invoke',
    /the "python" command is not allowed/,
  ],
  ['exec: shell through a relative path', 'shell touch $R/exec-relative', /the "shell" command is not allowed/],
  ['exec: shell copying the secret into the job', 'shell cp $S leaked.txt', /the "shell" command is not allowed/],
  ['write: print … file /abs', 'print "owned" file $T/write-print', /absolute paths/],
  ['write: log /abs', 'log $T/write-log', /absolute paths/],
  ['write: write_dump /abs', `${BOX}write_dump all atom $T/write-dump`, /absolute paths/],
  ['write: write_data /abs', `${BOX}write_data $T/write-data`, /absolute paths/],
  ['write: dump … /abs', `${BOX}dump 1 all atom 1 $T/write-traj\nrun 0`, /absolute paths/],
  ['write: write_restart ../../…', `${BOX}write_restart $R/write-restart`, /absolute paths and \.\. are not allowed/],
  ['read: include the secret', 'include $S', /absolute paths/],
  ['read: read_data the secret', 'read_data $S', /absolute paths/],
  ['read: variable … file the secret', 'variable s file $S\nprint "${s}"', /absolute paths/],
  ['read: include /etc/passwd', 'include /etc/passwd', /absolute paths/],
  [
    'read: include climbing to the repository',
    'include ../../../../../../../../../../../../.env.local',
    /absolute paths and \.\. are not allowed/,
  ],
  // issue 27: past the old screen, each of these gave /bin/sh inside the sandbox
  [
    'exec: a compressed dump whose name carries a command (popen gzip)',
    `${BOX}dump 1 all atom 1 "x;touch $T/exec-gz;.gz"\nrun 0`,
    /compressed files are not allowed/,
  ],
  [
    'exec: write_dump through a compressed name',
    `${BOX}write_dump all atom "y;touch $T/exec-gz2;.gz"`,
    /compressed files are not allowed/,
  ],
  [
    'exec: a format variable carrying run … every "shell"',
    `${BOX}variable n equal 0\nvariable f format n "%g every 1 'shell touch $T/exec-format'"\nrun \${f}`,
    /variable f: the format .* must be one numeric conversion/,
  ],
  [
    'exec: a format variable as an if condition',
    `variable n equal 1\nvariable c format n "%g then 'shell touch $T/exec-ifcond'"\nif \${c} then "print x"`,
    /variable c: the format .* must be one numeric conversion/,
  ],
  [
    'write: fix print file /abs through a format variable',
    `${BOX}variable n equal 1\nvariable f format n "%g file $T/write-fixprint"\nfix p all print 1 \${f}\nrun 2`,
    /variable f: the format/,
  ],
  [
    'exec: an immediate $(…) whose format carries run … every "shell"',
    `${BOX}run $(0:%.0f every 1 'shell touch $T/exec-immediate')`,
    /immediate/,
  ],
];

let relativeTarget: string;
const render = (script: string) =>
  `${script.replaceAll('$T', TARGET).replaceAll('$R', relativeTarget).replaceAll('$S', PLANTED)}\n`;
const spec = {
  type: 'md',
  engine: 'lammps',
  md: { script: 'in.attack' },
  resources: { tasks: 1, walltimeMinutes: 2, memoryMb: 500 },
};

/** Every string the platform must never hand out. */
const forbidden = () => [SECRET, world.env.JWT_SECRET, world.env.URL_SIGNING_SECRET];
const leaks = (text: string) => forbidden().filter((s) => text.includes(s));

beforeAll(() => {
  mkdirSync(TARGET, { recursive: true });
  chmodSync(TARGET, 0o777);
  mkdirSync(join(root, 'planted'), { recursive: true });
  writeFileSync(PLANTED, `JWT_SECRET=${SECRET}\n${SECRET}\n`, { mode: 0o644 });
  // the job's work dir will be WORK_DIR/<uuid>: from there, this climbs to TARGET
  relativeTarget = relative(join(world.env.WORK_DIR, '00000000-0000-0000-0000-000000000000'), TARGET);
});

afterAll(() => rmSync(join(root, 'planted'), { recursive: true, force: true }));

describe('attacks through uploaded LAMMPS scripts', () => {
  it('without the scripts permission every attack is refused with 403 before anything is stored', async () => {
    const stranger = await ctx.platform.newUser();
    for (const [, script] of ATTACKS.slice(0, 3)) {
      const res = await ctx.platform
        .http()
        .post('/api/v1/jobs')
        .set('Authorization', stranger.auth)
        .field('spec', JSON.stringify(spec))
        .attach('files', Buffer.from(render(script)), 'in.attack');
      expect({ status: res.status, message: res.body.message }).toEqual({
        status: 403,
        message: expect.stringMatching(/md\.script: .*"scripts" permission/),
      });
    }
    expect(
      (await ctx.platform.http().get('/api/v1/jobs').set('Authorization', stranger.auth).expect(200)).body.total,
    ).toBe(0);
  });

  it.each(ATTACKS)(
    'with the permission, the screen refuses %s with 400 naming the file and line',
    async (_, script, message) => {
      const res = await ctx.platform
        .http()
        .post('/api/v1/jobs')
        .set('Authorization', ctx.user.auth)
        .field('spec', JSON.stringify(spec))
        .attach('files', Buffer.from(render(script)), 'in.attack');
      expect(res.status).toBe(400);
      expect(res.body.message.join(' ')).toMatch(/^files\.in\.attack: line \d+: /);
      expect(res.body.message.join(' ')).toMatch(message);
    },
  );

  it('a 1 MiB script of continuation lines is screened off the event loop: /health answers meanwhile, the answer comes in seconds', async () => {
    // the old screen joined continuations in quadratic time on the master's event loop (40,000 lines: 34 s)
    const script = `units lj\nprint "${'x&\n'.repeat(340_000)}"\n`;
    const started = Date.now();
    const upload = ctx.platform
      .http()
      .post('/api/v1/jobs')
      .set('Authorization', ctx.user.auth)
      .field('spec', JSON.stringify({ ...spec, name: 'continuations' }))
      .attach('files', Buffer.from(script), 'in.attack')
      .then((res) => res);
    let healthChecks = 0;
    let done = false;
    void upload.finally(() => (done = true));
    while (!done && Date.now() - started < 60_000) {
      await ctx.platform.http().get('/health').timeout(2_000).expect(200);
      healthChecks++;
    }
    const res = await upload;
    expect(res.status).toBe(202);
    expect(healthChecks).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(60_000);

    const tooBig = await ctx.platform
      .http()
      .post('/api/v1/jobs')
      .set('Authorization', ctx.user.auth)
      .field('spec', JSON.stringify(spec))
      .attach('files', Buffer.from(`units lj\n${'# pad\n'.repeat(200_000)}`), 'in.attack');
    expect({ status: tooBig.status, message: tooBig.body.message }).toEqual({
      status: 400,
      message: [
        'files.in.attack: a script may be at most 1024 KiB (this one is 1172 KiB); put data in read_data files',
      ],
    });
  }, 90_000);

  it('past the screen (as if it had a hole) every attack runs in the real sandbox and reaches nothing outside its work dir', async () => {
    // every live event the user receives while the attacks run is kept and searched too
    await ctx.platform.app.listen(0, '127.0.0.1');
    const port = (ctx.platform.app.getHttpServer().address() as { port: number }).port;
    let events = '';
    const stream = httpRequest(
      { host: '127.0.0.1', port, path: '/api/v1/events', headers: { Authorization: ctx.user.auth } },
      (res) => res.on('data', (d: Buffer) => (events += d.toString())),
    );
    stream.end();

    const submissions = ctx.platform.app.get(SubmissionService);
    const ids: { name: string; id: string }[] = [];
    for (const [name, script] of ATTACKS) {
      const dto = validateBody(CreateJobDto, { ...spec, name: `attack ${name}` });
      const { id } = await submissions.submit(ctx.user.id, dto, [
        fileInMemory('in.attack', Buffer.from(render(script))),
      ]);
      ids.push({ name, id });
    }
    const final = ['COMPLETED', 'FAILED', 'CANCELLED'];
    await eventually(
      async () => {
        for (const { id } of ids) if (!final.includes((await ctx.platform.job(id, ctx.user.auth)).status)) return false;
        return true;
      },
      150_000,
      500,
    );

    // nothing was written outside the work dirs: the world-writable target is empty, nothing landed at the top of /tmp
    expect(readdirSync(TARGET)).toEqual([]);
    expect(readdirSync(tmpdir()).filter((f) => /^(exec|write)-/.test(f))).toEqual([]);

    const dataSource = ctx.platform.app.get(DataSource);
    const storage = ctx.platform.app.get(Storage);
    const outcomes: Record<string, string> = {};
    for (const { name, id } of ids) {
      const answer = JSON.stringify(await ctx.platform.job(id, ctx.user.auth));
      expect({ name, leaks: leaks(answer) }).toEqual({ name, leaks: [] });
      for (const artifact of await dataSource.getRepository(Artifact).findBy({ jobId: id })) {
        const bytes = (await storage.read(artifact.storageKey)).toString('utf8');
        expect({ name, artifact: artifact.name, leaks: leaks(bytes) }).toEqual({
          name,
          artifact: artifact.name,
          leaks: [],
        });
      }
      const job = await ctx.platform.job(id, ctx.user.auth);
      outcomes[name] = `${job.status}${job.error ? `: ${job.error}` : ''}`;
    }
    stream.destroy();
    expect(events).toContain('"status":"FAILED"');
    expect(leaks(events)).toEqual([]);
    // the attacks that need a host path or a shell fail inside the sandbox; the run's own files are its own
    expect(outcomes['read: include the secret']).toMatch(/^FAILED: .*Cannot open input script/);
    expect(outcomes['read: include /etc/passwd']).toMatch(/^FAILED: .*Cannot open input script/);
    expect(outcomes['exec: shell copying the secret into the job']).not.toMatch(SECRET);
    process.stdout.write(
      `sandbox outcomes:\n${Object.entries(outcomes)
        .map(([n, o]) => `  ${n} → ${o}`)
        .join('\n')}\n`,
    );

    // no sandbox of this file's jobs outlived its job (its init holds the pid namespace: while it is gone, so is
    // every process it held; other test files run engines at the same time, so only this work root counts), and the
    // server is healthy
    const left = () => {
      try {
        return execFileSync('pgrep', ['-u', 'molq-sandbox', '-a', '-f', world.env.WORK_DIR], {
          encoding: 'utf8',
        }).trim();
      } catch {
        return '';
      }
    };
    await eventually(() => left() === '', 5_000, 100).catch(() => expect(left()).toBe(''));
    await ctx.platform.http().get('/health').expect(200);
  }, 200_000);

  it('an upload named job.json gets 400; a job that carries one anyway fails ingestion 5 times, then ends FAILED with the reason', async () => {
    const res = await ctx.platform
      .http()
      .post('/api/v1/jobs')
      .set('Authorization', ctx.user.auth)
      .field('spec', JSON.stringify(spec))
      .attach('files', Buffer.from('units lj\n'), 'in.attack')
      .attach('files', Buffer.from('{"command":{"program":"xtb"}}'), 'job.json');
    expect({ status: res.status, message: res.body.message }).toEqual({
      status: 400,
      message: [
        'files: "job.json" is a name molq writes itself (job.json, job.sh, stdout.log, stderr.log, staging-manifest.json)',
      ],
    });

    // written as an older API would have: the upload collides with the rendered job.json
    const upload = {
      name: 'job.json',
      size: 2,
      sha256: '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
    };
    const job = await newJob(ctx.platform.app.get(DataSource), ctx.user.id, JobStatus.Pending, 'md', {
      resources: { tasks: 1, walltimeMinutes: 2, memoryMb: 500 },
      md: { script: 'in.attack', files: [{ name: 'in.attack', size: 9, sha256: upload.sha256 }, upload] },
    });
    await ctx.platform.app.get(QueueProducer).enqueue(QueueName.Ingestion, { jobId: job.id });
    await eventually(async () => (await ctx.platform.job(job.id, ctx.user.auth)).status === 'FAILED', 60_000, 500);
    expect((await ctx.platform.job(job.id, ctx.user.auth)).error).toMatch(/^ingestion failed: /);
  }, 90_000);

  it('an engine that echoes a file in its error (Unknown command: <line>) never puts the content in the job', async () => {
    const submissions = ctx.platform.app.get(SubmissionService);
    const dto = validateBody(CreateJobDto, { ...spec, md: { script: 'in.attack' }, name: 'echo' });
    const { id } = await submissions.submit(ctx.user.id, dto, [
      fileInMemory('in.attack', Buffer.from('include notes.txt\n')),
      fileInMemory('notes.txt', Buffer.from(`JWT_SECRET=${SECRET}\n`)),
    ]);
    await eventually(async () => (await ctx.platform.job(id, ctx.user.auth)).status === 'FAILED', 60_000, 250);
    const job = await ctx.platform.job(id, ctx.user.auth);
    expect(job.error).toMatch(/^lmp exited with code \d+: ERROR: Unknown command$/);
    expect(leaks(JSON.stringify(job))).toEqual([]);
    expect(existsSync(join(world.env.WORK_DIR, id))).toBe(false); // work dir removed
  });
});
