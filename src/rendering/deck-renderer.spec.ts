import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobSpec } from '../jobs/job-spec';
import { Job } from '../jobs/job.entity';
import { renderDeck } from './deck-renderer';

const FIXTURES = join(__dirname, '..', '..', 'test', 'fixtures', 'rendering');
const expected = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const resources = { tasks: 4, walltimeMinutes: 30, memoryMb: 4000 };
const WATER = '3\nwater\nO 0.000 0.000 0.117\nH 0.000 0.757 -0.467\nH 0.000 -0.757 -0.467\n';

function job(engine: Job['engine'], spec: JobSpec, name: string | null = null): Job {
  return Object.assign(new Job(), {
    id: '0d6c6f1e-8a43-4c34-9a1d-7c1f3f4b2a10',
    type: engine === 'lammps' ? 'md' : 'qc',
    engine,
    name,
    spec,
  });
}

const melt = job('lammps', {
  resources,
  md: {
    template: 'lj-melt',
    params: { atomsPerSide: 5, temperature: 1.5, steps: 500, thermoEvery: 50, seed: 4928459 },
  },
});
const gaussian = job(
  'gaussian',
  { resources, qc: { xyz: WATER, charge: 0, multiplicity: 1, task: 'opt', method: 'B3LYP', basis: '6-31G(d)' } },
  'water opt',
);
const xtb = job(
  'xtb',
  {
    resources: { ...resources, tasks: 1 },
    qc: { xyz: 'O 0 0 0.117\nh 0 0.757 -0.467\nH 0 -0.757 -0.467', charge: 0, multiplicity: 1, task: 'opt', gfn: 2 },
  },
  'water',
);

const file = (deck: ReturnType<typeof renderDeck>, name: string) =>
  deck.files.find((f) => f.name === name)!.content.toString('utf8');

describe('input deck rendering (checked against hand-written files)', () => {
  it('LJ melt from the template', () => {
    const deck = renderDeck(melt);
    expect(file(deck, 'in.lammps')).toBe(expected('lj-melt.in.lammps'));
    expect(deck.manifest.command).toEqual({ program: 'lmp', args: ['-in', 'in.lammps', '-log', 'log.lammps'] });
  });

  it('Gaussian .gjf with link 0, route, title, charge/multiplicity and coordinates', () => {
    const deck = renderDeck(gaussian);
    expect(file(deck, 'input.gjf')).toBe(expected('water-b3lyp-opt.gjf'));
    expect(deck.manifest.command).toEqual({ program: 'g16', args: ['input.gjf'] });
  });

  it('a method that brings its own basis (semi-empirical, CBS, Gn) gets a route without one', () => {
    const pm6 = job('gaussian', { resources, qc: { ...gaussian.spec.qc!, method: 'PM6', basis: undefined } });
    expect(file(renderDeck(pm6), 'input.gjf').split('\n')[3]).toBe('#p PM6 Opt');
  });

  it('a Gaussian title never carries @ (an include), # (a route) or ! (a comment), nor a line break', () => {
    const hostile = job('gaussian', gaussian.spec, '@/etc/passwd\n#p freq ! water');
    const lines = file(renderDeck(hostile), 'input.gjf').split('\n');
    const title = lines[lines.findIndex((l) => l.startsWith('#')) + 2];
    expect(title).toBe('/etc/passwd p freq water');
    expect(lines.filter((l) => l.startsWith('@'))).toEqual([]);
    expect(file(renderDeck(job('gaussian', gaussian.spec, '@#!')), 'input.gjf')).toContain(
      'molq job 0d6c6f1e-8a43-4c34-9a1d-7c1f3f4b2a10',
    );
  });

  it('marks an uploaded script in the manifest (a cluster without a sandbox refuses it); templates are not marked', () => {
    const scripted = job('lammps', {
      resources,
      md: { script: 'in.lj', files: [{ name: 'in.lj', size: 1, sha256: 'x' }] },
    });
    expect(renderDeck(scripted).manifest.userScript).toBe(true);
    expect(renderDeck(melt).manifest.userScript).toBeUndefined();
  });

  it('optfreq: xtb --ohess, Gaussian "Opt Freq" (optimise, then frequencies at the optimum)', () => {
    const xtbOptFreq = job('xtb', { resources, qc: { ...xtb.spec.qc!, task: 'optfreq' } });
    expect(renderDeck(xtbOptFreq).manifest.command.args).toContain('--ohess');
    expect(renderDeck(xtbOptFreq).manifest.command.args).not.toContain('--opt');
    const g16OptFreq = job('gaussian', { resources, qc: { ...gaussian.spec.qc!, task: 'optfreq' } });
    expect(file(renderDeck(g16OptFreq), 'input.gjf').split('\n')[3]).toMatch(/ Opt Freq$/);
  });

  it('xtb .xyz and command line', () => {
    const deck = renderDeck(xtb);
    expect(file(deck, 'molecule.xyz')).toBe(expected('water-xtb.xyz'));
    expect(deck.manifest.command.args).toEqual([
      'molecule.xyz',
      '--gfn',
      '2',
      '--chrg',
      '0',
      '--uhf',
      '0',
      '--opt',
      '--json',
      '--parallel',
      '1',
    ]);
    expect(JSON.parse(file(deck, 'job.json'))).toEqual(JSON.parse(expected('water-xtb.job.json')));
  });

  it('is deterministic: the same spec gives the same bytes', () => {
    for (const j of [melt, gaussian, xtb]) {
      const a = renderDeck(j).files.map((f) => f.content.toString('base64'));
      const b = renderDeck(structuredClone(j)).files.map((f) => f.content.toString('base64'));
      expect(b).toEqual(a);
    }
  });

  it('an uploaded-script job runs the named script with every uploaded file as input', () => {
    const files = [
      { name: 'in.peptide', size: 10, sha256: 'a'.repeat(64) },
      { name: 'data.peptide', size: 20, sha256: 'b'.repeat(64) },
    ];
    const deck = renderDeck(job('lammps', { resources, md: { script: 'in.peptide', files } }));
    expect(deck.manifest.command.args).toEqual(['-in', 'in.peptide', '-log', 'log.lammps']);
    expect(deck.manifest.inputs).toEqual(['in.peptide', 'data.peptide']);
    expect(deck.files.map((f) => f.name)).toEqual(['job.json']);
  });
});
