import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { QueueName } from '../../queues';
import { UsersService } from '../../src/users/users.service';
import { launchChromium } from '../support/browser';
import { eventually } from '../support/eventually';
import { newJob } from '../support/job-factory';
import { JobStatus } from '../../src/jobs/job-status';
import { alkaneChain } from '../support/specs';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// The chemists' web app in Debian's headless Chromium, against a master started here with every
// pool and the local executor (real xtb): sign up, submit, watch it live, read the report, download.
const world = newWorld();
const ctx = usePlatform(world, [QueueName.Ingestion, QueueName.Qc, QueueName.Upload, QueueName.Reports]);
const SCREENSHOTS = join(__dirname, '..', '..', 'test-output', 'screenshots');
const PASSWORD = 'a long enough password';
let base: string;

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  base = await ctx.platform.listen();
});

/** Console errors and uncaught exceptions of a page (there must be none). */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

async function signUp(context: BrowserContext, email: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login\?next=/); // not signed in: sent to sign in
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Your jobs' }).waitFor();
  return { page, errors };
}

describe('web UI in a real browser', () => {
  let firstJob: string;

  it('a chemist signs up, submits an xtb optimisation, watches it live to COMPLETED, reads the report and downloads a file', async () => {
    const { context, close } = await launchChromium();
    try {
      const { page, errors } = await signUp(context, 'ada@example.org');
      await page.screenshot({ path: join(SCREENSHOTS, 'ui-jobs-empty.png') });
      expect(await page.getByRole('link', { name: 'Queues (Bull Board)' }).count()).toBe(0); // for operators and admins only
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New QC job' }).click();
      await page.getByLabel('Job name').fill('C50 chain opt');
      await page.getByLabel('Molecule (XYZ)').fill(alkaneChain(50));
      await page.getByText('152 atoms, 402 electrons').waitFor(); // checked as typed
      await page.getByRole('img', { name: '2D view of 152 atoms' }).waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, 'ui-new-qc.png'), fullPage: true });
      await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
      await page.getByRole('button', { name: 'Submit job' }).click();
      await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
      firstJob = page.url().split('/').pop()!;

      // progress and status arrive by server-sent events: sample the bar until COMPLETED
      const seen: number[] = [];
      const status = page.locator('.page-head [data-testid=status]');
      const deadline = Date.now() + 90_000;
      while ((await status.textContent()) !== 'COMPLETED') {
        if ((await status.textContent()) === 'FAILED' || (await status.textContent()) === 'CANCELLED') {
          const failed = await (await page.request.get(`${base}/api/v1/jobs/${firstJob}`)).json();
          throw new Error(
            `job ended ${failed.status}: ${failed.error}; events ${JSON.stringify(failed.events.map((e: { to: string; message: string }) => `${e.to}: ${e.message}`))}`,
          );
        }
        if (Date.now() > deadline)
          throw new Error(`not COMPLETED; status ${await status.textContent()}, progress seen ${seen.join(',')}`);
        const bar = page.getByRole('progressbar', { name: 'job progress' });
        const value = (await bar.count()) > 0 ? Number(await bar.getAttribute('aria-valuenow').catch(() => null)) : NaN;
        if (Number.isFinite(value) && value > 0 && seen[seen.length - 1] !== value) seen.push(value);
        if (seen.length === 2) await page.screenshot({ path: join(SCREENSHOTS, 'ui-job-running.png'), fullPage: true });
        await page.waitForTimeout(100);
      }
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true); // no reload happened
      // the bar moved: several values while xtb ran, each larger than the last (100 % once the run ended)
      expect({ seen, increasing: seen.every((v, i) => i === 0 || v > seen[i - 1]) }).toEqual({
        seen: expect.arrayContaining([expect.any(Number), expect.any(Number)]),
        increasing: true,
      });
      expect(seen.filter((v) => v < 100).length).toBeGreaterThanOrEqual(2);

      // the report: key numbers and a plot that really renders
      // one results section (issue 28.5): the values once, the plots inline as images (an SVG image runs nothing)
      const results = page.getByRole('region', { name: 'Results' });
      await results.getByRole('heading', { name: 'Results' }).waitFor();
      const plot = results.getByRole('img', { name: 'Energy against optimisation cycle' });
      await plot.waitFor();
      expect(await plot.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      const box = await plot.boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(450); // readable, not a thumbnail
      expect(await page.locator('iframe').count()).toBe(0);
      expect(await page.locator('table.summary').count()).toBe(1);
      expect(await page.locator('.summary tr').count()).toBeGreaterThan(2);
      // the input and the optimised geometry in 3D
      const structures = page.getByRole('region', { name: 'Structures' });
      await structures.getByRole('img', { name: 'final geometry in 3D' }).locator('canvas').waitFor();
      expect(await structures.getByRole('img', { name: 'input geometry in 3D' }).locator('canvas').count()).toBe(1);
      // each value with its unit, and the engine named by its own banner
      expect(
        await page.locator('.summary tr', { hasText: 'total energy' }).first().locator('td.unit').textContent(),
      ).toBe('Eh');
      expect(await page.locator('dd', { hasText: /^xtb \d+\.\d+\.\d+$/ }).count()).toBe(1);
      await page.screenshot({ path: join(SCREENSHOTS, 'ui-job-report.png'), fullPage: true });

      // a download through its signed link is byte-for-byte the stored artifact
      const job = await (await page.request.get(`${base}/api/v1/jobs/${firstJob}`)).json();
      const artifact = job.artifacts.find((a: { name: string }) => a.name === 'xtbopt.xyz');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download xtbopt.xyz' }).click(),
      ]);
      const bytes = readFileSync((await download.path())!);
      expect(download.suggestedFilename()).toBe('xtbopt.xyz');
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(artifact.sha256);

      // the same molecule again (another name): reused at once, the page says from which job
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New QC job' }).click();
      await page.getByLabel('Job name').fill('C50 chain opt, again');
      await page.getByLabel('Molecule (XYZ)').fill(alkaneChain(50));
      expect(await page.getByLabel('Reuse identical results').isChecked()).toBe(true);
      await page.getByRole('button', { name: 'Submit job' }).click();
      await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
      await page
        .locator('.page-head [data-testid=status]')
        .filter({ hasText: 'COMPLETED' })
        .waitFor({ timeout: 30_000 });
      const reusedLink = page.locator('dd', { hasText: 'reused from' }).getByRole('link');
      await reusedLink.waitFor();
      expect(await reusedLink.getAttribute('href')).toBe(`/jobs/${firstJob}`);
      const reusedJob = page.url().split('/').pop()!;
      await page.screenshot({ path: join(SCREENSHOTS, 'ui-job-reused.png'), fullPage: true });

      // the list shows it, live badges and all, at desktop and phone widths
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
      await page.locator(`tr[data-job="${firstJob}"] [data-testid=status]`).filter({ hasText: 'COMPLETED' }).waitFor();
      expect(await page.locator(`tr[data-job="${reusedJob}"] .reused`).textContent()).toBe('reused'); // marked in the list
      expect(await page.locator(`tr[data-job="${firstJob}"] .reused`).count()).toBe(0);
      await page.screenshot({ path: join(SCREENSHOTS, 'ui-jobs.png') });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.screenshot({ path: join(SCREENSHOTS, 'ui-jobs-phone.png'), fullPage: true });
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("frequencies (issue 28.4/28.5): opt+freq lists every mode, plots the IR spectrum, gives kcal/mol; a freq on an unoptimised geometry says so; the list shows a failure's first line", async () => {
    const { context, close } = await launchChromium();
    try {
      const { page, errors } = await signUp(context, 'hertz@example.org');
      const submitQc = async (name: string, xyz: string, task: string) => {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New QC job' }).click();
        await page.getByLabel('Job name').fill(name);
        await page.getByLabel('Molecule (XYZ)').fill(xyz);
        await page.getByLabel('Task').selectOption({ label: task });
        await page.getByLabel('Reuse identical results').uncheck();
        await page.getByRole('button', { name: 'Submit job' }).click();
        await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
        await page
          .locator('.page-head [data-testid=status]')
          .filter({ hasText: 'COMPLETED' })
          .waitFor({ timeout: 90_000 });
        return page.url().split('/').pop()!;
      };

      await submitQc(
        'water opt+freq',
        '3\nwater\nO 0 0 0.117\nH 0 0.757 -0.467\nH 0 -0.757 -0.467\n',
        'optimisation, then frequencies',
      );
      const results = page.getByRole('region', { name: 'Results' });
      const row = (label: string, unit: string) =>
        results.locator('.summary tr', { has: page.locator('th', { hasText: new RegExp(`^${label}$`) }) }).filter({
          has: page.locator('td.unit', { hasText: new RegExp(`^${unit}$`) }),
        });
      await row('vibrational frequencies', 'cm⁻¹').waitFor();
      expect(
        (await row('vibrational frequencies', 'cm⁻¹').locator('td').first().textContent())?.split(', '),
      ).toHaveLength(3);
      expect(Number(await row('zero-point energy', 'kcal/mol').locator('td').first().textContent())).toBeGreaterThan(
        10,
      );
      expect(await row('zero-point energy', 'kJ/mol').count()).toBe(1);
      const ir = results.getByRole('img', { name: 'IR spectrum (xtb, harmonic)' });
      await ir.waitFor();
      expect(await ir.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
      await page
        .getByRole('region', { name: 'Structures' })
        .getByRole('img', { name: 'final geometry in 3D' })
        .locator('canvas')
        .waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, 'ui-job-frequencies.png'), fullPage: true });

      // a Hessian on a geometry that is no minimum: xtb's own warning is in the notes
      await submitQc(
        'water bent freq',
        '3\nwater\nO 0 0 0.2\nH 0 0.9 -0.5\nH 0 -0.9 -0.5\n',
        'frequencies (at this geometry)',
      );
      await results
        .getByRole('list', { name: 'Notes' })
        .getByText('xtb warning: Hessian on incompletely optimized geometry!')
        .waitFor();

      // a failed job in the list shows the first line of its error
      const [{ id: owner }] = await ctx.platform.app
        .get(DataSource)
        .query('SELECT id FROM users WHERE email = $1', ['hertz@example.org']);
      const failed = await newJob(ctx.platform.app.get(DataSource), owner, JobStatus.Failed);
      await ctx.platform.app
        .get(DataSource)
        .query('UPDATE jobs SET error = $2 WHERE id = $1', [
          failed.id,
          'xtb exited with code 1: SCC not converged\nsecond line',
        ]);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
      const failedRow = page.locator(`tr[data-job="${failed.id}"]`);
      expect(await failedRow.locator('.job-list-error').textContent()).toBe(
        'xtb exited with code 1: SCC not converged',
      );
      await page.screenshot({ path: join(SCREENSHOTS, 'ui-jobs-failed.png') });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 240_000);

  it('a bad XYZ shows the error beside the field and submits nothing', async () => {
    const { context, close } = await launchChromium();
    try {
      const { page, errors } = await signUp(context, 'grace@example.org');
      const posts: string[] = [];
      page.on('request', (r) => r.method() === 'POST' && r.url().endsWith('/api/v1/jobs') && posts.push(r.url()));
      await page.goto(`${base}/new/qc`);
      const xyz = page.getByLabel('Molecule (XYZ)');
      await xyz.fill('2\nbad\nQq 0 0 0\nH 0 0 0.74\n');
      await xyz.blur();
      const fieldError = page.locator('.field-invalid .field-error');
      await fieldError.filter({ hasText: 'line 3' }).waitFor();
      expect(await fieldError.textContent()).toMatch(/line 3: unknown element symbol "Qq"/);
      expect(await xyz.getAttribute('aria-invalid')).toBe('true');
      await page.getByRole('button', { name: 'Submit job' }).click();
      await xyz.fill('2\nhydrogen\nH 0 0 0\nH 0 0 0.74\n');
      await page.getByLabel('Multiplicity').fill('2');
      await page
        .getByText(/multiplicity 2 is impossible|parity|odd|even/i)
        .first()
        .waitFor(); // spin checked as typed
      await page.screenshot({ path: join(SCREENSHOTS, 'ui-bad-xyz.png'), fullPage: true });
      await page.getByRole('button', { name: 'Submit job' }).click();
      await page.waitForTimeout(500);
      expect(posts).toEqual([]); // nothing was sent while the molecule was wrong
      expect((await (await page.request.get(`${base}/api/v1/jobs`)).json()).total).toBe(0);
      // what only the server checks comes back beside the field it names
      await page.getByLabel('Multiplicity').fill('1');
      await page.getByLabel('Engine').selectOption('gaussian');
      await page.getByLabel('Method').fill('B3LYP; rm -rf');
      await page.getByRole('button', { name: 'Submit job' }).click();
      await page
        .locator('.field-invalid')
        .filter({ has: page.getByLabel('Method') })
        .getByRole('alert')
        .filter({ hasText: /Gaussian method keyword/ })
        .waitFor();
      expect((await (await page.request.get(`${base}/api/v1/jobs`)).json()).total).toBe(0);
      // keyboard: the form is reachable with Tab from the name field
      await page.getByLabel('Job name').focus();
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
      // Chromium logs the server's expected 400 as a failed resource; nothing else may appear
      expect(errors.filter((e) => !/status of 400 \(Bad Request\)/.test(e))).toEqual([]);
    } finally {
      await close();
    }
  });

  it('MD jobs from the LJ template and from an uploaded script with its data file, and a batch from XYZ files', async () => {
    const { context, close } = await launchChromium();
    try {
      const { page, errors } = await signUp(context, 'rosalind@example.org');
      const api = async (path: string) => (await page.request.get(`${base}/api/v1${path}`)).json();

      await page.goto(`${base}/new/md`);
      await page.getByLabel('Job name').fill('melt from template');
      await page.getByLabel('Steps').fill('800');
      await page.getByRole('button', { name: 'Submit job' }).click();
      await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
      const template = await api(`/jobs/${page.url().split('/').pop()}`);
      expect(template.spec.md).toMatchObject({ template: 'lj-melt', params: { steps: 800, atomsPerSide: 6 } });

      // uploading a script is a permission: refused until an admin grants it on the Accounts page
      await page.goto(`${base}/new/md`);
      expect(await page.getByLabel('My own LAMMPS input script').isDisabled()).toBe(true);
      await page.getByText('needs the “scripts” permission').waitFor();
      const adminEmail = 'admin-hopper@example.org';
      await ctx.platform
        .http()
        .post('/api/v1/auth/register')
        .send({ email: adminEmail, password: PASSWORD })
        .expect(201);
      await ctx.platform.app.get(UsersService).setRole(adminEmail, 'admin');
      const adminPage = await context
        .browser()!
        .newContext()
        .then((c) => c.newPage());
      await adminPage.goto(`${base}/login`);
      await adminPage.getByLabel('Email').fill(adminEmail);
      await adminPage.getByLabel('Password').fill(PASSWORD);
      await adminPage.getByRole('button', { name: 'Sign in' }).click();
      await adminPage.getByRole('link', { name: 'Accounts' }).click();
      await adminPage.getByLabel('rosalind@example.org may upload scripts').click(); // checked once the server says so
      await eventually(
        async () => await adminPage.getByLabel('rosalind@example.org may upload scripts').isChecked(),
        5_000,
        100,
      );
      await adminPage.screenshot({ path: join(SCREENSHOTS, 'ui-accounts.png'), fullPage: true });
      await adminPage.context().close();

      await page.goto(`${base}/new/md`);
      await page.getByLabel('Job name').fill('my own script');
      await page.getByLabel('My own LAMMPS input script').check();
      await page.getByLabel('Input script', { exact: true }).setInputFiles({
        name: 'in.melt',
        mimeType: 'text/plain',
        buffer: Buffer.from('units lj\nread_data data.lj\nrun 10\n'),
      });
      await page.getByLabel('Data and include files').setInputFiles({
        name: 'data.lj',
        mimeType: 'text/plain',
        buffer: Buffer.from('LAMMPS data\n\n1 atoms\n1 atom types\n'),
      });
      await page.getByRole('button', { name: 'Submit job' }).click();
      await page.waitForURL(/\/jobs\/[0-9a-f-]{36}$/);
      const scripted = await api(`/jobs/${page.url().split('/').pop()}`);
      expect(scripted.spec.md.script).toBe('in.melt');
      expect(scripted.spec.md.files.map((f: { name: string }) => f.name).sort()).toEqual(['data.lj', 'in.melt']);

      await page.goto(`${base}/new/batch`);
      await page.getByLabel('Batch name').fill('two molecules');
      await page.getByLabel(/XYZ files/).setInputFiles([
        {
          name: 'water.xyz',
          mimeType: 'text/plain',
          buffer: Buffer.from('3\nwater\nO 0 0 0.117\nH 0 0.757 -0.467\nH 0 -0.757 -0.467\n'),
        },
        { name: 'oh-radical.xyz', mimeType: 'text/plain', buffer: Buffer.from('2\nOH\nO 0 0 0\nH 0 0 0.97\n') },
      ]);
      await page.getByText('multiplicity 2').waitFor(); // the radical's lowest spin state
      await page.getByRole('button', { name: 'Submit batch' }).click();
      await page.waitForURL(/\/batches\/[0-9a-f-]{36}$/);
      await page.getByText(/of 2 jobs finished/).waitFor();
      // the results table: both jobs with their energies, sortable, and the downloads
      await page.getByText(/^2 of 2 jobs finished/).waitFor({ timeout: 60_000 });
      const results = page.getByRole('region', { name: 'Results' });
      await results.getByRole('link', { name: 'oh-radical' }).waitFor({ timeout: 15_000 });
      await results.getByRole('link', { name: 'water' }).waitFor();
      const energySort = results.getByRole('button', { name: /^total energy \(Eh\)/ });
      // the table re-renders after a click (and when the batch's live updates arrive): read it until it settles
      const order = () => results.locator('tbody tr td:nth-child(2)').allInnerTexts(); // Name, after "#"
      const sortedAs = async (expected: string[]) => {
        await eventually(async () => JSON.stringify(await order()) === JSON.stringify(expected), 5_000, 50).catch(
          () => undefined,
        );
        expect(await order()).toEqual(expected);
      };
      await energySort.click();
      await sortedAs(['water', 'oh-radical']); // lowest energy first
      await energySort.click();
      await sortedAs(['oh-radical', 'water']);
      const csvHref = await results.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
      const csv = await page.request.get(`${base}${csvHref}`);
      expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
      expect((await csv.text()).trim().split('\r\n')).toHaveLength(3);
      await page.screenshot({ path: join(SCREENSHOTS, 'ui-batch.png'), fullPage: true });
      const batch = await api(`/batches/${page.url().split('/').pop()}`);
      expect(batch.jobCount).toBe(2);
      // one job failed (as a lost node would leave it): the batch page offers to run it again, and it completes
      await ctx.platform.app
        .get(DataSource)
        .query(`UPDATE jobs SET status = 'FAILED', error = 'node lost' WHERE batch_id = $1 AND name = 'water'`, [
          batch.id,
        ]);
      await page.reload();
      await page.getByRole('button', { name: 'Retry the 1 failed job' }).click();
      await page.getByRole('button', { name: /Retry the/ }).waitFor({ state: 'detached', timeout: 30_000 });
      await page.getByText(/^2 of 2 jobs finished/).waitFor({ timeout: 60_000 });
      await eventually(async () => (await api(`/batches/${batch.id}`)).counts.COMPLETED === 2, 60_000);

      // a scan submitted with labels (issue 28.2): its table lists the jobs as submitted, the labels as columns
      const stretched = (r: number) => `3\nwater\nO 0 0 0\nH 0 0 ${r}\nH 0.93 0 -0.24\n`;
      const scan = await (
        await page.request.post(`${base}/api/v1/jobs/bulk`, {
          data: {
            name: 'labelled scan',
            jobs: [1.02, 0.94, 0.98].map((r) => ({
              type: 'qc',
              engine: 'xtb',
              name: `O-H ${r}`,
              labels: { r_OH: r },
              qc: { xyz: stretched(r), task: 'sp' },
            })),
          },
        })
      ).json();
      await page.goto(`${base}/batches/${scan.batchId}`);
      await page.getByText(/^3 of 3 jobs finished/).waitFor({ timeout: 60_000 });
      await results.getByRole('link', { name: 'O-H 0.98' }).waitFor({ timeout: 15_000 });
      await sortedAs(['O-H 1.02', 'O-H 0.94', 'O-H 0.98']); // "#": submission order
      await results.getByRole('button', { name: /^r_OH/ }).click();
      await sortedAs(['O-H 0.94', 'O-H 0.98', 'O-H 1.02']);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it("a second user cannot open the first user's job page", async () => {
    const { context, close } = await launchChromium();
    try {
      const { page } = await signUp(context, 'mallory@example.org');
      await page.goto(`${base}/jobs/${firstJob}`);
      await page.getByRole('heading', { name: 'Job not found' }).waitFor();
      expect(await page.content()).not.toContain('C50 chain opt');
      await page.screenshot({ path: join(SCREENSHOTS, 'ui-not-yours.png') });
    } finally {
      await close();
    }
  });

  it('a long job list pages older and newer by cursor, and Back returns to the page before', async () => {
    const { context, close } = await launchChromium();
    try {
      const { page, errors } = await signUp(context, 'pager@example.org');
      await ctx.platform.app.get(DataSource).query(
        `INSERT INTO jobs (id, owner_id, type, engine, name, status, spec, created_at)
         SELECT gen_random_uuid(), u.id, 'qc', 'xtb', 'listed ' || lpad(i::text, 2, '0'), 'COMPLETED', '{}', now() - interval '1 minute' * (30 - i)
         FROM users u, generate_series(1, 25) i WHERE u.email = 'pager@example.org'`,
      );
      await page.reload();
      const names = async () => page.locator('table.jobs tbody tr td:first-child').allInnerTexts();
      const pager = page.getByRole('navigation', { name: 'Pages' });
      await pager.getByText('25 jobs').waitFor();
      expect((await names())[0]).toBe('listed 25');
      expect(await pager.getByRole('button', { name: 'Newer' }).isDisabled()).toBe(true);
      await pager.getByRole('button', { name: 'Older' }).click();
      await page.getByRole('link', { name: 'listed 01' }).waitFor();
      expect(await names()).toEqual(['listed 05', 'listed 04', 'listed 03', 'listed 02', 'listed 01']);
      expect(await pager.getByRole('button', { name: 'Older' }).isDisabled()).toBe(true);
      await page.goBack();
      await page.getByRole('link', { name: 'listed 25' }).waitFor();
      await pager.getByRole('button', { name: 'Older' }).click();
      await page.getByRole('link', { name: 'listed 01' }).waitFor();
      await pager.getByRole('button', { name: 'Newer' }).click();
      await page.getByRole('link', { name: 'listed 06' }).waitFor();
      expect(await names()).toHaveLength(20);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a chemist makes an API token, copies its secret once, uses it from a script and revokes it', async () => {
    const { context, close } = await launchChromium();
    try {
      const { page, errors } = await signUp(context, 'scripter@example.org');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API tokens' }).click();
      await page.getByRole('heading', { name: 'API tokens' }).waitFor();
      await page.getByLabel('Token name').fill('notebook');
      await page.getByLabel('Scope').selectOption('submit');
      await page.getByRole('button', { name: 'Create token' }).click();
      const secret = (await page.getByLabel('new token').innerText()).trim();
      expect(secret).toMatch(/^mqu_[0-9a-f]{12}_/);
      await page.screenshot({ path: join(SCREENSHOTS, 'ui-api-token.png'), fullPage: true });
      const row = page.locator('tr', { hasText: 'notebook' });
      await row.getByText('submit').waitFor();
      await page.getByRole('button', { name: 'Done' }).click();
      expect(await page.content()).not.toContain(secret.slice(17)); // shown once
      // a script with the token (no cookie of the browser's would do: the header decides)
      const script = { headers: { Authorization: `Bearer ${secret}` } };
      expect((await page.request.get(`${base}/api/v1/jobs`, script)).status()).toBe(200);
      await page.getByRole('button', { name: 'Revoke notebook' }).click();
      await row.waitFor({ state: 'detached' });
      expect((await page.request.get(`${base}/api/v1/jobs`, script)).status()).toBe(401);
      // a bad name comes back beside the field
      await page.getByLabel('Token name').fill('bad\u0007name');
      await page.getByRole('button', { name: 'Create token' }).click();
      await page
        .locator('.field-invalid')
        .getByRole('alert')
        .filter({ hasText: /1-64 letters/ })
        .waitFor();
      expect(errors.filter((e) => !/status of 40[01]/.test(e))).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a wrong password gets a clear message; an expired session says so', async () => {
    const { context, close } = await launchChromium();
    try {
      const page = await context.newPage();
      await page.goto(`${base}/login`);
      await page.getByLabel('Email').fill('ada@example.org');
      await page.getByLabel('Password').fill('not the password at all');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').filter({ hasText: 'email or password is wrong' }).waitFor();
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Your jobs' }).waitFor();
      await context.addCookies([{ name: 'molq_session', value: 'a.b.c', url: base }]); // the session goes bad
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Batch' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
      await page.getByText('Your session has expired. Please sign in again.').waitFor();
    } finally {
      await close();
    }
  });
});
