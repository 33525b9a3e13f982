import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { QUEUE_NAMES, QueueName } from '../../queues';
import { JobStatus } from '../../src/jobs/job-status';
import { QueueProducer } from '../../src/queueing/queue-producer';
import { jobKeys } from '../../src/storage/job-keys';
import { SignedUrls } from '../../src/storage/signed-urls';
import { Storage } from '../../src/storage/storage';
import { launchChromium } from '../support/browser';
import { eventually } from '../support/eventually';
import { newJob } from '../support/job-factory';
import { ETHANOL, meltJob } from '../support/specs';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

const world = newWorld({ RECONCILE_INTERVAL_MS: '1000' });
/** Screenshots a person can look at after the run (git-ignored). */
const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'screenshots');
const ctx = usePlatform(world, [...QUEUE_NAMES]); // the whole path of a job on one machine
const platform = ctx.platform;

const http = () => platform.http();
const getJob = (id: string) => platform.job(id, ctx.user.auth);
const artifactText = async (job: { artifacts: { name: string; kind: string }[]; id: string }, name: string) => {
  const [row] = await platform.app
    .get(DataSource)
    .query('SELECT storage_key FROM artifacts WHERE job_id = $1 AND name = $2', [job.id, name]);
  return readFile(join(world.env.STORAGE_DIR, row.storage_key), 'utf8');
};

describe('results: upload, parse, report, COMPLETED', () => {
  it('an LJ melt ends COMPLETED with verified outputs and a report with thermo plots', async () => {
    const { body } = await http()
      .post('/api/v1/jobs')
      .set('Authorization', ctx.user.auth)
      .send(meltJob({ name: 'melt <b>bold</b>' }))
      .expect(202);
    await eventually(async () => ['COMPLETED', 'FAILED'].includes((await getJob(body.id)).status), 60_000, 200);
    const job = await getJob(body.id);
    expect(job.status).toBe('COMPLETED');
    expect(job.events.map((e: { to: string }) => e.to)).toEqual([
      'PENDING',
      'QUEUED',
      'DISPATCHED',
      'RUNNING',
      'UPLOADING',
      'REPORTING',
      'COMPLETED',
    ]);
    const kinds = Object.fromEntries(job.artifacts.map((a: { name: string; kind: string }) => [a.name, a.kind]));
    expect(kinds).toMatchObject({
      'in.lammps': 'input',
      'log.lammps': 'log',
      'final.dump': 'output',
      'report.json': 'report',
      'report.html': 'report',
    });
    const report = JSON.parse(await artifactText(job, 'report.json'));
    expect(report.summary['completed normally']).toBe(true);
    expect(job.engineVersion).toMatch(/^LAMMPS \(\d{1,2} \w{3} \d{4}( - Update \d+)?\)$/); // Debian's lmp, from its own banner
    expect(report.engineVersion).toBe(job.engineVersion);
    expect(report.summary.steps).toBe(200);
    expect(typeof report.summary['final Temp (ε/k_B)']).toBe('number'); // LJ units: reduced temperature
    expect(report.quantities).toEqual(
      expect.arrayContaining([
        { label: 'loop time', value: expect.any(Number), unit: 's' },
        { label: 'last run ended', value: 'completed', unit: null },
      ]),
    );
    // every thermo column the template prints, in its order (issue 28.5)
    expect(report.plots).toEqual([
      'Temp against step',
      'PotEng against step',
      'KinEng against step',
      'TotEng against step',
      'Press against step',
    ]);
    const html = await artifactText(job, 'report.html');
    expect(html.match(/<svg/g)).toHaveLength(5);
    expect(html).toContain('melt &lt;b&gt;bold&lt;/b&gt;');
    expect(html).not.toContain('<b>bold</b>');
    // downloads go through signed, expiring links only, for the owner only
    const htmlArtifact = job.artifacts.find((a: { name: string }) => a.name === 'report.html');
    const link = await http()
      .get(`/api/v1/jobs/${body.id}/artifacts/${htmlArtifact.id}/link`)
      .set('Authorization', ctx.user.auth)
      .expect(200);
    const downloaded = await http().get(link.body.url).expect(200);
    expect(
      createHash('sha256')
        .update(downloaded.text ?? downloaded.body)
        .digest('hex'),
    ).toBe(htmlArtifact.sha256);
    await http()
      .get(link.body.url.replace(/expires=(\d+)/, (_: string, e: string) => `expires=${Number(e) + 60}`))
      .expect(403);
    const [row] = await platform.app
      .get(DataSource)
      .query('SELECT storage_key FROM artifacts WHERE id = $1', [htmlArtifact.id]);
    await http()
      .get(platform.app.get(SignedUrls).sign('GET', row.storage_key, -5))
      .expect(403);
    const stranger = await platform.newUser();
    await http()
      .get(`/api/v1/jobs/${body.id}/artifacts/${htmlArtifact.id}/link`)
      .set('Authorization', stranger.auth)
      .expect(404);
    // staging is emptied once the results are recorded
    expect(await platform.app.get(Storage).head(jobKeys.staging(body.id, 'log.lammps'))).toBeNull();
  });

  it('an xtb optimisation ends COMPLETED with its energy, gap and an energy-per-cycle plot', async () => {
    const { body } = await http()
      .post('/api/v1/jobs')
      .set('Authorization', ctx.user.auth)
      .send({ type: 'qc', engine: 'xtb', qc: { xyz: ETHANOL, task: 'opt' } })
      .expect(202);
    await eventually(async () => ['COMPLETED', 'FAILED'].includes((await getJob(body.id)).status), 60_000, 200);
    const job = await getJob(body.id);
    expect(job.status).toBe('COMPLETED');
    const report = JSON.parse(await artifactText(job, 'report.json'));
    expect(report.summary['total energy (Eh)']).toBeCloseTo(-11.3886, 3);
    expect(report.summary['HOMO-LUMO gap (eV)']).toBeGreaterThan(10);
    expect(report.summary['optimisation converged']).toBe(true);
    expect(job.engineVersion).toMatch(/^xtb \d+\.\d+\.\d+$/);
    expect(report.summary['dipole moment (Debye)']).toBeGreaterThan(0.5); // ethanol is polar
    expect(report.plots).toEqual(['Energy against optimisation cycle']);
    expect(report.quantities.find((q: { label: string }) => q.label === 'total energy')).toMatchObject({ unit: 'Eh' });
  });

  it('an xtb frequency job (--hess) reports its frequencies and RRHO thermochemistry with units', async () => {
    const { body } = await http()
      .post('/api/v1/jobs')
      .set('Authorization', ctx.user.auth)
      .send({ type: 'qc', engine: 'xtb', qc: { xyz: ETHANOL, task: 'freq' } })
      .expect(202);
    await eventually(async () => ['COMPLETED', 'FAILED'].includes((await getJob(body.id)).status), 60_000, 200);
    const job = await getJob(body.id);
    expect(job.status).toBe('COMPLETED');
    const report = JSON.parse(await artifactText(job, 'report.json'));
    expect(report.summary.frequencies).toBe(21); // ethanol: 9 atoms, 3N - 6 modes (one imaginary: the geometry is no GFN2 minimum)
    expect(report.summary['imaginary frequencies']).toBe(1);
    expect(report.quantities).toEqual(
      expect.arrayContaining([
        { label: 'zero-point energy', value: expect.any(Number), unit: 'Eh' },
        { label: 'total free energy', value: expect.any(Number), unit: 'Eh' },
        { label: 'thermochemistry temperature', value: 298.15, unit: 'K' },
      ]),
    );
    expect(report.summary['zero-point energy (Eh)']).toBeGreaterThan(0.05);
    // an operator sees where jobs wait and how long each stage worked: per-queue histograms in /metrics
    await eventually(
      async () =>
        /molq_queue_job_wait_seconds_count\{queue="qc"\} [1-9]/.test((await http().get('/metrics').expect(200)).text),
      10_000,
      200,
    );
    const metrics = (await http().get('/metrics')).text;
    for (const queue of ['ingestion', 'qc', 'upload', 'reports'])
      expect(metrics).toMatch(
        new RegExp(`molq_queue_job_duration_seconds_count\\{queue="${queue}",outcome="completed"\\} [1-9]`),
      );
  });

  it('a staged file that does not match its manifest fails the job, naming the file, after retries', async () => {
    const ds = platform.app.get(DataSource);
    const storage = platform.app.get(Storage);
    const job = await newJob(ds, ctx.user.id, JobStatus.Uploading, 'md');
    await storage.put(jobKeys.staging(job.id, 'log.lammps'), Buffer.from('corrupted in transit'));
    await storage.put(
      jobKeys.stagingManifest(job.id),
      Buffer.from(JSON.stringify({ jobId: job.id, files: [{ name: 'log.lammps', size: 20, sha256: 'f'.repeat(64) }] })),
    );
    await platform.app.get(QueueProducer).enqueue(QueueName.Upload, { jobId: job.id });
    await eventually(async () => (await getJob(job.id)).status === 'FAILED', 30_000, 250);
    const failed = await getJob(job.id);
    expect(failed.error).toMatch(/^file log\.lammps: sha256 [0-9a-f]{64} does not match the manifest's f{64}$/);
    expect((await platform.app.get(QueueProducer).queue(QueueName.Upload).getJob(job.id))?.attemptsMade).toBe(3);
  });

  it('no fault, many uploads at once: every staged file is copied whole and verifies (no chunk flows past the copy)', async () => {
    const ds = platform.app.get(DataSource);
    const storage = platform.app.get(Storage);
    const jobs: string[] = [];
    for (let j = 0; j < 24; j++) {
      const job = await newJob(ds, ctx.user.id, JobStatus.Uploading, 'md');
      const files = [];
      for (let f = 0; f < 4; f++) {
        const content = randomBytes(256 * 1024 + f * 4099);
        await storage.put(jobKeys.staging(job.id, `out${f}.dat`), content);
        files.push({
          name: `out${f}.dat`,
          size: content.length,
          sha256: createHash('sha256').update(content).digest('hex'),
        });
      }
      await storage.put(jobKeys.stagingManifest(job.id), Buffer.from(JSON.stringify({ jobId: job.id, files })));
      jobs.push(job.id);
    }
    // the upload pool copies them all at once (the reconciler would also give each its entry)
    await platform.app.get(QueueProducer).enqueueMany(
      QueueName.Upload,
      jobs.map((jobId) => ({ payload: { jobId } })),
    );
    await eventually(
      async () =>
        (await ds.query(`SELECT count(*)::int AS n FROM jobs WHERE id = ANY($1) AND status = 'UPLOADING'`, [jobs]))[0]
          .n === 0,
      60_000,
      250,
    );
    const verified = await ds.query(
      `SELECT count(DISTINCT job_id)::int AS n FROM job_events WHERE job_id = ANY($1) AND to_status = 'REPORTING'`,
      [jobs],
    );
    const errors = await ds.query(`SELECT error FROM jobs WHERE id = ANY($1) AND error LIKE 'file %'`, [jobs]);
    expect({ verified: verified[0].n, errors }).toEqual({ verified: 24, errors: [] });
  });

  it('an MD and a QC report.html, opened in headless Chromium, show their plots (screenshots kept)', async () => {
    const submit = async (spec: object) =>
      (await http().post('/api/v1/jobs').set('Authorization', ctx.user.auth).send(spec).expect(202)).body.id as string;
    const ids = {
      md: await submit(meltJob()),
      qc: await submit({ type: 'qc', engine: 'xtb', qc: { xyz: ETHANOL, task: 'opt' } }),
    };
    const { context, close } = await launchChromium();
    try {
      for (const [kind, id] of Object.entries(ids)) {
        await eventually(async () => (await getJob(id)).status === 'COMPLETED', 90_000, 200).catch(async (e) => {
          throw new Error(
            `${e.message}: ${kind} job ${JSON.stringify((await getJob(id)).events.map((ev: { to: string; at: string }) => `${ev.to}@${ev.at}`))}`,
          );
        });
        const [row] = await platform.app
          .get(DataSource)
          .query(`SELECT storage_key FROM artifacts WHERE job_id = $1 AND name = 'report.html'`, [id]);
        const page = await context.newPage();
        const problems: string[] = [];
        page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
        page.on('pageerror', (e) => problems.push(e.message));
        await page.goto(pathToFileURL(join(world.env.STORAGE_DIR, row.storage_key)).href);
        const plots = await page.$$eval('figure svg', (svgs) =>
          svgs.map((s) => s.getBoundingClientRect()).map((r) => ({ w: r.width, h: r.height })),
        );
        expect(plots.length).toBeGreaterThan(0);
        for (const box of plots) expect(box.w * box.h).toBeGreaterThan(10_000);
        expect(await page.locator('svg path').count()).toBeGreaterThan(0); // lines were drawn
        await mkdir(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: join(SCREENSHOTS, `report-${kind}.png`), fullPage: true });
        expect(problems).toEqual([]);
        await page.close();
      }
    } finally {
      await close();
    }
  });

  it('a 10-job batch gets its report at 9 finished, and again at 10', async () => {
    const WATER = '3\nwater\nO 0 0 0.117\nH 0 0.757 -0.467\nH 0 -0.757 -0.467\n';
    const jobs = [
      ...Array.from({ length: 9 }, (_, i) => ({
        type: 'qc',
        engine: 'xtb',
        name: `water ${i + 1}`,
        qc: { xyz: WATER, task: 'sp' },
      })),
      meltJob({ name: 'long melt', md: { template: 'lj-melt', params: { atomsPerSide: 6, steps: 10_000_000 } } }),
    ];
    const { body } = await http()
      .post('/api/v1/jobs/bulk')
      .set('Authorization', ctx.user.auth)
      .send({ name: 'screen', jobs })
      .expect(202);
    const batch = async () =>
      (await http().get(`/api/v1/batches/${body.batchId}`).set('Authorization', ctx.user.auth).expect(200)).body;
    await eventually(async () => (await batch()).reports.partial !== null, 60_000, 250);
    const partial = await batch();
    expect(partial.counts.COMPLETED).toBe(9);
    expect(partial.reports.final).toBeNull();
    const partialHtml = (await http().get(partial.reports.partial.url).expect(200)).body.toString();
    expect(partialHtml).toContain('9 of 10 jobs finished.');
    expect(partialHtml).toContain('<svg');
    expect(partialHtml).toContain('water 9');

    const long = body.jobIds[9];
    await eventually(async () => (await getJob(long)).status === 'RUNNING', 30_000, 100).catch(async (e) => {
      throw new Error(`${e.message}: ${JSON.stringify((await getJob(long)).events)} ${(await getJob(long)).error}`);
    });
    await http().post(`/api/v1/jobs/${long}/cancel`).set('Authorization', ctx.user.auth).expect(200);
    await eventually(async () => (await batch()).reports.final !== null, 30_000, 250);
    const finalHtml = (
      await http()
        .get((await batch()).reports.final.url)
        .expect(200)
    ).body.toString();
    expect(finalHtml).toContain('10 of 10 jobs finished.');
    expect(finalHtml).toContain('CANCELLED');
  });
});
