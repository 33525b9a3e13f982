import { DataSource } from 'typeorm';
import { QUEUE_NAMES } from '../../queues';
import { Storage } from '../../src/storage/storage';
import { eventually } from '../support/eventually';
import { xtbJob } from '../support/specs';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// A batch's results as one table, through the real API: real xtb runs for the values, and a
// 10,000-job batch written straight into PostgreSQL for the streaming.
const world = newWorld();
const ctx = usePlatform(world, [...QUEUE_NAMES]);
const http = () => ctx.platform.http();
const sql = (text: string, params: unknown[] = []) => ctx.platform.app.get(DataSource).query(text, params);

/** A CSV body as rows of cells (RFC 4180 quoting, as the export writes it). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('batch export', () => {
  it('real xtb runs: one row per job with the inputs that vary and every value with its unit, as CSV and JSON', async () => {
    const jobs = [
      xtbJob({ name: 'neutral gfn2' }),
      xtbJob({ name: 'neutral gfn1', qc: { ...xtbJob().qc, gfn: 1 } }),
      xtbJob({ name: '=HYPERLINK("http://x")' }),
    ];
    const batch = await http()
      .post('/api/v1/jobs/bulk')
      .set('Authorization', ctx.user.auth)
      .send({ name: 'export', jobs })
      .expect(202);
    await eventually(
      async () =>
        (await http().get(`/api/v1/batches/${batch.body.batchId}`).set('Authorization', ctx.user.auth)).body.counts
          .COMPLETED === 3,
      120_000,
    );

    const csv = await http()
      .get(`/api/v1/batches/${batch.body.batchId}/export?format=csv`)
      .set('Authorization', ctx.user.auth)
      .expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="batch-${batch.body.batchId}.csv"`);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header.slice(0, 5)).toEqual(['job_id', 'name', 'status', 'engine', 'engine_version']);
    expect(header).toContain('qc.gfn'); // the one input that varies
    expect(header).not.toContain('qc.charge');
    expect(header).not.toContain('qc.xyz'); // the molecule: the name stands for it
    expect(header).toContain('total energy (Eh)');
    expect(header[header.length - 1]).toBe('error');
    expect(rows).toHaveLength(3);
    const col = (name: string) => header.indexOf(name);
    for (const row of rows) {
      expect(row[col('status')]).toBe('COMPLETED');
      expect(row[col('engine_version')]).toMatch(/^xtb \d+\.\d+/);
      expect(Number(row[col('total energy (Eh)')])).toBeLessThan(-4); // water, GFN1/GFN2: about -5 Eh
    }
    expect(rows.map((r) => r[col('qc.gfn')]).sort()).toEqual(['1', '2', '2']);
    // a name that a spreadsheet would run as a formula is written as text
    expect(rows.map((r) => r[col('name')])).toContain(`'=HYPERLINK("http://x")`);

    const json = await http()
      .get(`/api/v1/batches/${batch.body.batchId}/export?format=json`)
      .set('Authorization', ctx.user.auth)
      .expect(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const parsed = JSON.parse(json.text);
    expect(parsed).toHaveLength(3);
    expect(parsed[0]).toMatchObject({
      jobId: expect.any(String),
      status: 'COMPLETED',
      engine: 'xtb',
      inputs: { 'qc.gfn': expect.any(Number) },
      error: null,
    });
    expect(typeof parsed[0].values['total energy (Eh)']).toBe('number');
  });

  it('10,000 jobs stream out whole, each once, values from the column and from an older report.json alike', async () => {
    const [{ id: batchId }] = await sql(
      `INSERT INTO batches (owner_id, name, job_count) VALUES ($1, 'big', 10000) RETURNING id`,
      [ctx.user.id],
    );
    await sql(
      `INSERT INTO jobs (id, owner_id, batch_id, type, engine, name, status, spec, quantities, error)
       SELECT gen_random_uuid(), $1, $2, 'qc', 'xtb', 'mol ' || i, CASE WHEN i % 10 = 0 THEN 'FAILED' ELSE 'COMPLETED' END,
              jsonb_build_object('qc', jsonb_build_object('charge', i % 3 - 1, 'xyz', E'1\\nH\\nH 0 0 0\\n')),
              CASE WHEN i % 10 = 0 THEN NULL ELSE jsonb_build_array(jsonb_build_object('label', 'total energy', 'value', -i / 1000.0, 'unit', 'Eh')) END,
              CASE WHEN i % 10 = 0 THEN 'xtb exited with code 1' END
       FROM generate_series(1, 10000) i`,
      [ctx.user.id, batchId],
    );
    // one job reported before jobs.quantities existed: its values live in report.json only
    const [[{ id: older }]] = await sql(
      `UPDATE jobs SET quantities = NULL WHERE batch_id = $1 AND name = 'mol 7' RETURNING id`,
      [batchId],
    ); // (an UPDATE answers [rows, count])
    const stored = await ctx.platform.app
      .get(Storage)
      .put(
        `jobs/${older}/report/report.json`,
        Buffer.from(JSON.stringify({ quantities: [{ label: 'total energy', value: -42.5, unit: 'Eh' }] })),
      );
    await sql(
      `INSERT INTO artifacts (job_id, kind, name, storage_key, size, sha256, content_type) VALUES ($1, 'report', 'report.json', $2, $3, $4, 'application/json')`,
      [older, stored.key, stored.size, stored.sha256],
    );

    const csv = await http().get(`/api/v1/batches/${batchId}/export`).set('Authorization', ctx.user.auth).expect(200);
    const [header, ...rows] = parseCsv(csv.text);
    expect(header).toEqual([
      'job_id',
      'name',
      'status',
      'engine',
      'engine_version',
      'qc.charge',
      'total energy (Eh)',
      'error',
    ]);
    expect(rows).toHaveLength(10_000);
    expect(new Set(rows.map((r) => r[0])).size).toBe(10_000);
    const byName = new Map(rows.map((r) => [r[1], r]));
    expect(byName.get('mol 7')![6]).toBe('-42.5');
    expect(byName.get('mol 9')![6]).toBe('-0.009');
    expect(byName.get('mol 10')!.slice(6)).toEqual(['', 'xtb exited with code 1']);
    expect(byName.get('mol 2')![5]).toBe('1');
  });

  it("another user's batch is not found; a bad format is a 400 naming it; a read token may export", async () => {
    const other = await ctx.platform.newUser();
    const batch = await http()
      .post('/api/v1/jobs/bulk')
      .set('Authorization', ctx.user.auth)
      .send({ jobs: [xtbJob()] })
      .expect(202);
    const res = await http()
      .get(`/api/v1/batches/${batch.body.batchId}/export`)
      .set('Authorization', other.auth)
      .expect(404);
    expect(res.body.message).toEqual(['id: no such batch']);
    const bad = await http()
      .get(`/api/v1/batches/${batch.body.batchId}/export?format=xlsx`)
      .set('Authorization', ctx.user.auth)
      .expect(400);
    expect(bad.body.message).toEqual(['format: must be csv or json']);
    await http().get('/api/v1/batches/not-a-uuid/export').set('Authorization', ctx.user.auth).expect(400);
    const token = await http()
      .post('/api/v1/auth/tokens')
      .set('Authorization', ctx.user.auth)
      .send({ name: 'export', scope: 'read' })
      .expect(201);
    await http()
      .get(`/api/v1/batches/${batch.body.batchId}/export?format=json`)
      .set('Authorization', `Bearer ${token.body.token}`)
      .expect(200);
  });
});
