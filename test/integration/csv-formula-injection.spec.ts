import { xtbJob } from '../support/specs';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// A batch export's CSV through the real API (issue 27, 7g): a job name a spreadsheet would run as
// a formula, at the start of the cell or after a , or ; (where a spreadsheet may split it), is
// written as quoted text with a leading apostrophe (OWASP's CSV injection advice).
const world = newWorld();
const ctx = usePlatform(world, []); // no pools: the jobs wait, the export lists them all the same
const http = () => ctx.platform.http();

const NEUTRALISED: [name: string, cell: string][] = [
  ["x;=cmd|' /C calc'!A0", `"'x;=cmd|' /C calc'!A0"`],
  ['=1+1', `"'=1+1"`],
  ['+1', `"'+1"`],
  ['-2+3', `"'-2+3"`],
  ['@SUM(A1)', `"'@SUM(A1)"`],
  ['a,=b', `"'a,=b"`],
  ['ok; @x', `"'ok; @x"`],
  ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
];

describe('CSV export and formula injection', () => {
  it('names that start a formula, at the start or after a , or ;, are quoted text with a leading apostrophe; plain names stay as they are', async () => {
    const jobs = [...NEUTRALISED.map(([name]) => xtbJob({ name })), xtbJob({ name: 'plain water' })];
    const batch = await http()
      .post('/api/v1/jobs/bulk')
      .set('Authorization', ctx.user.auth)
      .send({ name: 'formulas', jobs })
      .expect(202);
    const csv = await http()
      .get(`/api/v1/batches/${batch.body.batchId}/export?format=csv`)
      .set('Authorization', ctx.user.auth)
      .expect(200);
    const lines = csv.text.split('\r\n');
    const names = lines.slice(1, -1).map((l) => l.slice(l.indexOf(',') + 1, l.lastIndexOf(',PENDING,')));
    expect(names.sort()).toEqual([...NEUTRALISED.map(([, cell]) => cell), 'plain water'].sort());
  });
});
