import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Job } from '../jobs/job.entity';
import { buildReport } from './report-builder';

const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', 'lammps', name), 'utf8');

const lammpsReport = (log: string) =>
  buildReport(
    Object.assign(new Job(), {
      id: '5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
      name: 'yaml',
      engine: 'lammps',
      type: 'md',
    }),
    async (name) => (name === 'log.lammps' ? log : null),
  );

describe('LAMMPS report: runs whose thermo was read or not (issue 29.5)', () => {
  it('log.7Apr22.yaml.g++.1 (`thermo_style yaml`): final values and plots from the YAML thermo, no note', async () => {
    const report = await lammpsReport(fixture('log.7Apr22.yaml.g++.1'));
    expect(report.summary).toMatchObject({
      'thermo blocks': 2,
      'completed normally': true,
      'last run ended': 'completed',
    });
    expect(report.quantities.find((q) => q.label === 'final Temp')?.value).toBeCloseTo(0.759531750132731, 12);
    expect(report.plots.map((p) => p.title)).toContain('PotEng against step');
    expect(report.notes.filter((n) => n.includes('thermo'))).toEqual([]);
  });

  it('"completed normally" never comes without a note when a run\'s thermo could not be read', async () => {
    const stripped = fixture('log.7Apr22.yaml.g++.1').replace(/^---\n[\s\S]*?^\.\.\.\n/gm, '');
    const report = await lammpsReport(stripped);
    expect(report.summary['completed normally']).toBe(true);
    expect(report.notes).toEqual([
      'run 1 of 2: its thermo output could not be read, so its values and plots are missing',
      'run 2 of 2: its thermo output could not be read, so its values and plots are missing',
    ]);
  });
});
