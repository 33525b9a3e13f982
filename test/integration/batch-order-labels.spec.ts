import { QUEUE_NAMES } from '../../queues';
import { Storage } from '../../src/storage/storage';
import { batchKeys } from '../../src/storage/job-keys';
import { eventually } from '../support/eventually';
import { xtbJob } from '../support/specs';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// Issue 28.2: a batch comes back in the order it was submitted (its ids are random UUIDs, its
// created_at one), and a job carries its own labels, used as export columns and as the x axis of
// the batch plot. Real xtb runs of a water O–H scan, through the real API.
const world = newWorld();
const ctx = usePlatform(world, [...QUEUE_NAMES]);
const http = () => ctx.platform.http();
const get = async (path: string) => (await http().get(path).set('Authorization', ctx.user.auth).expect(200)).body;

/** Water with its first O–H bond at r Å along the equilibrium direction (the other bond and the angle kept). */
function water(r: number): string {
  const [dy, dz] = [0.757, -0.584].map((c) => (c * r) / Math.hypot(0.757, 0.584));
  return `3\nwater r=${r}\nO 0 0 0.117\nH 0 ${dy.toFixed(5)} ${(0.117 + dz).toFixed(5)}\nH 0 -0.757 -0.467\n`;
}

/** r of the scan, in submission order: 0.80 … 1.24 Å, across the well near 0.96 Å. */
const SCAN = Array.from({ length: 12 }, (_, i) => Number((0.8 + 0.04 * i).toFixed(2)));

async function submitScan(labelsOf: (r: number, i: number) => Record<string, unknown> | undefined, reuse: boolean) {
  const jobs = SCAN.map((r, i) =>
    xtbJob({ name: `O-H ${r}`, qc: { ...xtbJob().qc, xyz: water(r) }, labels: labelsOf(r, i), reuse }),
  );
  const { body } = await http()
    .post('/api/v1/jobs/bulk')
    .set('Authorization', ctx.user.auth)
    .send({ name: 'water O-H scan', jobs })
    .expect(202);
  // the premise: id order is not the submission order (12 random UUIDs sort as given once in 12! ≈ 5e8)
  expect([...body.jobIds].sort()).not.toEqual(body.jobIds);
  await eventually(async () => (await get(`/api/v1/batches/${body.batchId}`)).reports.final !== null, 180_000, 250);
  return body as { batchId: string; jobIds: string[] };
}

/** The batch's final report.json (rows and the plot's data) as the reports stage wrote it. */
async function report(batchId: string) {
  const text = await ctx.platform.app.get(Storage).read(batchKeys.report(batchId, 'final', 'json'));
  return JSON.parse(text.toString('utf8')) as {
    rows: { jobId: string; labels: Record<string, unknown> }[];
    plot: { x: string; y: string; points: { jobId: string; x: number; y: number }[] };
  };
}

let first: { batchId: string; jobIds: string[] };

describe('a scan keeps its submission order and its labels', () => {
  it('export, job list and batch report list the jobs as submitted; labels are columns and the x axis', async () => {
    first = await submitScan((r) => ({ series: 'O-H stretch', r_OH: r }), false);
    const { batchId, jobIds } = first;

    const csv = await http()
      .get(`/api/v1/batches/${batchId}/export?format=csv`)
      .set('Authorization', ctx.user.auth)
      .expect(200);
    const [header, ...rows] = csv.text
      .trimEnd()
      .split('\r\n')
      .map((line) => line.split(','));
    expect(header.slice(0, 5)).toEqual(['job_id', 'name', 'series', 'r_OH', 'status']);
    expect(rows.map((r) => r[0])).toEqual(jobIds);
    expect(rows.map((r) => Number(r[3]))).toEqual(SCAN);

    const json = await get(`/api/v1/batches/${batchId}/export?format=json`);
    expect(json.map((r: { jobId: string }) => r.jobId)).toEqual(jobIds);
    expect(json[0].labels).toEqual({ series: 'O-H stretch', r_OH: 0.8 });

    // the job list of a batch, read by cursor both ways, is in submission order too
    const pages = [await get(`/api/v1/jobs?batchId=${batchId}&pageSize=5`)];
    while (pages[pages.length - 1].nextCursor)
      pages.push(await get(`/api/v1/jobs?batchId=${batchId}&pageSize=5&cursor=${pages[pages.length - 1].nextCursor}`));
    expect(pages.flatMap((p) => p.items.map((j: { id: string }) => j.id))).toEqual(jobIds);
    expect(pages[0].items[1]).toMatchObject({ batchIndex: 1, labels: { series: 'O-H stretch', r_OH: 0.84 } });
    const back = await get(`/api/v1/jobs?batchId=${batchId}&pageSize=5&cursor=${pages[2].prevCursor}`);
    expect(back.items.map((j: { id: string }) => j.id)).toEqual(jobIds.slice(5, 10));
    expect(await get(`/api/v1/jobs/${jobIds[3]}`)).toMatchObject({ labels: { r_OH: 0.92 }, batchIndex: 3 });

    // the report: its table in submission order, its plot the energy against r_OH, a well (not a zig-zag)
    const final = await report(batchId);
    expect(final.rows.map((r) => r.jobId)).toEqual(jobIds);
    expect(final.plot.x).toBe('r_OH');
    expect(final.plot.points.map((p) => p.x)).toEqual(SCAN);
    const energies = final.plot.points.map((p) => p.y);
    const lowest = energies.indexOf(Math.min(...energies));
    expect(SCAN[lowest]).toBeGreaterThan(0.88);
    expect(SCAN[lowest]).toBeLessThan(1.04);
    for (let i = 1; i < energies.length; i++)
      expect(Math.sign(energies[i] - energies[i - 1])).toBe(i <= lowest ? -1 : 1);
    const html = (
      await http()
        .get((await get(`/api/v1/batches/${batchId}`)).reports.final.url)
        .expect(200)
    ).body.toString();
    expect(html).toContain('total energy (Eh) against r_OH');
    const names = SCAN.map((r) => html.indexOf(`<td>O-H ${r}</td>`));
    expect(names.every((at, i) => at > 0 && (i === 0 || at > names[i - 1]))).toBe(true);
  });

  it('a reused job keeps its own labels; without a numeric label on every job the plot is in submission order', async () => {
    // the same molecules again, r in bohr, and the first job without labels: every result reused
    const again = await submitScan(
      (r, i) => (i === 0 ? undefined : { r_bohr: Number((r / 0.529177).toFixed(4)) }),
      true,
    );
    const reused = await get(`/api/v1/jobs/${again.jobIds[5]}`);
    expect(reused.reusedFrom).toBe(first.jobIds[5]);
    expect(reused.labels).toEqual({ r_bohr: Number((SCAN[5] / 0.529177).toFixed(4)) });
    expect((await get(`/api/v1/jobs/${first.jobIds[5]}`)).labels).toEqual({ series: 'O-H stretch', r_OH: SCAN[5] });

    const json = await get(`/api/v1/batches/${again.batchId}/export?format=json`);
    expect(json.map((r: { jobId: string }) => r.jobId)).toEqual(again.jobIds);
    expect(json.map((r: { labels: { r_bohr: number | null } }) => r.labels.r_bohr)).toEqual([
      null,
      ...SCAN.slice(1).map((r) => Number((r / 0.529177).toFixed(4))),
    ]);
    const final = await report(again.batchId);
    expect(final.plot.x).toBe('job (submission order)');
    expect(final.plot.points.map((p) => p.x)).toEqual(SCAN.map((_, i) => i + 1));
    expect(final.plot.points.map((p) => p.jobId)).toEqual(again.jobIds);
  });
});
