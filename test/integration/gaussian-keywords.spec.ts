import { gaussianJob, xtbJob } from '../support/specs';
import { newWorld, setUpWorld, tearDownWorld } from '../support/test-config';
import { TestPlatform } from '../support/test-master';

// A Gaussian route's method and basis are names Gaussian 16 knows, checked at submission (a typo
// used to pass the character pattern and fail on the cluster); qc.customKeywords sends them as written.
const world = newWorld();
const platform = new TestPlatform(world);
let user: Awaited<ReturnType<TestPlatform['newUser']>>;

beforeAll(async () => {
  await setUpWorld(world);
  await platform.start([]);
  user = await platform.newUser();
});

afterAll(async () => {
  await platform.stop();
  await tearDownWorld(world);
});

type JobOf = (over?: Record<string, unknown>) => { qc: object };
const submit = (qc: Record<string, unknown>, job: JobOf = gaussianJob) =>
  platform
    .http()
    .post('/api/v1/jobs')
    .set('Authorization', user.auth)
    .send(job({ qc: { ...job().qc, ...qc } }));
const said = (body: { message: string | string[] }) => [body.message].flat().join(' | ');

describe('Gaussian method and basis names', () => {
  it.each([
    [
      { method: 'B3LPY' },
      "qc.method: 'B3LPY' is not a method Gaussian knows; did you mean B3LYP? Set qc.customKeywords: true to send it as written",
    ],
    [{ method: 'UB3LPY' }, /^qc\.method: 'UB3LPY' is not a method Gaussian knows; did you mean UB3LYP\?/],
    [{ method: 'PBE0' }, /^qc\.method: 'PBE0' is not a method Gaussian knows; did you mean PBE1PBE\?/],
    [{ method: 'M06-2X' }, /did you mean M062X\?/],
    [{ method: 'Frobnicate' }, /^qc\.method: 'Frobnicate' is not a method Gaussian knows\. Set qc\.customKeywords/],
    [{ basis: '6-31G(d' }, /^qc\.basis: '6-31G\(d' is not a basis set Gaussian knows; did you mean 6-31G\(d\)\?/],
    [{ basis: 'def2-TZPV' }, /^qc\.basis: 'def2-TZPV' is not a basis set Gaussian knows; did you mean def2-TZVP\?/],
    [{ basis: 'cc-pVXZ' }, /^qc\.basis: 'cc-pVXZ' is not a basis set Gaussian knows/],
    [{ method: 'PM6' }, /^qc\.basis: PM6 brings its own basis set: leave qc\.basis out$/],
    [{ basis: undefined }, /^qc\.basis: required for gaussian with B3LYP$/],
  ])('%j is refused with 400 naming the field', async (qc, message) => {
    const res = await submit(qc).expect(400);
    expect(said(res.body)).toEqual(typeof message === 'string' ? message : expect.stringMatching(message));
  });

  it.each([
    [{ method: 'B3LYP', basis: '6-31G(d)' }],
    [{ method: 'M062X', basis: 'def2-TZVP' }],
    [{ method: 'b3lyp', basis: '6-311++g(2d,2p)' }], // Gaussian reads any case
    [{ method: 'UwB97XD', basis: 'aug-cc-pVTZ' }],
    [{ method: 'CCSD(T)', basis: 'cc-pVQZ' }],
    [{ method: 'PM6', basis: undefined }],
    [{ method: 'CBS-QB3', basis: undefined }],
    [{ method: 'G4', basis: null }], // a client's None
  ])('%j is accepted', async (qc) => {
    const res = await submit(qc).expect(202);
    const job = await platform.job(res.body.id, user.auth);
    expect(job.spec.qc).toMatchObject({ method: qc.method, ...(qc.basis ? { basis: qc.basis } : {}) });
    expect(job.spec.qc).not.toHaveProperty('customKeywords');
  });

  it('qc.customKeywords: true sends the names as written; the character pattern still applies', async () => {
    const res = await submit({ method: 'B3LPY', basis: 'MyBasis', customKeywords: true }).expect(202);
    expect((await platform.job(res.body.id, user.auth)).spec.qc).toMatchObject({ method: 'B3LPY', basis: 'MyBasis' });
    await submit({ method: 'DFTB', basis: undefined, customKeywords: true }).expect(202);
    const injected = await submit({ method: 'B3LYP Opt=(CalcFC)\n#', customKeywords: true }).expect(400);
    expect(said(injected.body)).toMatch(/qc\.method must be a Gaussian method keyword/);
    const notBoolean = await submit({ customKeywords: 'yes' }).expect(400);
    expect(said(notBoolean.body)).toMatch(/qc\.customKeywords must be a boolean value/);
    const xtb = await submit({ customKeywords: true }, xtbJob).expect(400);
    expect(said(xtb.body)).toMatch(/qc\.customKeywords: only for gaussian/);
  });
});
