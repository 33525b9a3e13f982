import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from '../../test/support/corpus';
import { Job } from '../jobs/job.entity';
import { buildReport } from './report-builder';
import { reportHtml } from './report-html';

const gaussian = (file: string) => {
  const job = Object.assign(new Job(), {
    id: 'b2a4f1b6-1f0c-4f9e-9b1e-3d2c1a0f9e8d',
    name: file,
    engine: 'gaussian',
    type: 'qc',
  });
  const text = readFileSync(join(corpusDir('gaussian'), file), 'utf8');
  return buildReport(job, async (name) => (name === 'input.log' ? text : null));
};

describe('reports from real Gaussian logs (g16 cannot run here; its path is covered by these)', () => {
  it('a frequency job: key numbers and a stick IR spectrum', async () => {
    const report = await gaussian('cclib_g16_dvb_ir.out');
    expect(report.engineVersion).toMatch(/^Gaussian (09|16) E[MS]64L-G(09|16)Rev[A-Z]\.\d\d$/);
    expect(report.summary).toMatchObject({
      'final SCF energy (Eh)': -382.308266602,
      'HOMO (Eh)': -0.15308,
      'LUMO (Eh)': 0.03742,
      frequencies: 54,
      'imaginary frequencies': 0,
      'normal termination': true,
    });
    expect(report.summary).toMatchObject({
      route: '#p b3lyp/sto-3g guess=read freq=hpmodes geom=allcheck',
      'zero-point correction (Eh)': 0.177132,
      'sum of electronic and thermal free energies (Eh)': -382.164915,
      'dipole moment (Debye)': 0,
    });
    expect(report.plots.map((p) => p.title)).toEqual(['IR spectrum']);
    expect(report.plots[0].svg).toMatch(/^<svg/);
    expect(reportHtml(report)).toContain(
      '<th scope="row">sum of electronic and thermal free energies</th><td>-382.164915</td><td>Eh</td>',
    );
  });

  it('a TD job and an MP2 job: excited states and the MP2 energy, with units', async () => {
    const td = await gaussian('cclib_g16_CO_TD_delta.log');
    expect(td.summary).toMatchObject({ 'excited states': 24, 'lowest excitation (eV)': 5.7616 });
    expect(td.summary['brightest oscillator strength']).toBeGreaterThan(0);
    expect((await gaussian('cclib_g16_water_mp2.log')).summary['MP2 energy (Eh)']).toBe(-75.002282127454);
  });

  it('an optimisation: energy against step', async () => {
    const report = await gaussian('cclib_g16_dvb_gopt.out');
    expect(report.summary['optimisation completed']).toBe(true);
    expect(report.plots.map((p) => p.title)).toEqual(['SCF energy against optimisation step']);
  });

  it('a failed job: its error lines become notes, and the page escapes them', async () => {
    const report = await gaussian('custodian_scf_convergence_cycles.out');
    expect(report.summary['normal termination']).toBe(false);
    expect(report.notes.some((n) => n.includes('l502'))).toBe(true);
    expect(reportHtml(report)).toContain('Error termination');
  });
});

describe('reports from real LAMMPS logs (corpus)', () => {
  const lammps = (file: string) => {
    const job = Object.assign(new Job(), {
      id: 'c3b5e2c7-2a1d-4a0f-8c2f-4e3d2b1a0f9e',
      name: file,
      engine: 'lammps',
      type: 'md',
    });
    const text = readFileSync(join(corpusDir('lammps'), file), 'utf8');
    return buildReport(job, async (name) => (name === 'log.lammps' ? text : null));
  };

  it('a minimisation in LJ units: how it stopped, the minimised energy and forces, with their units', async () => {
    const report = await lammps('log.5Oct16.min.g++.1');
    expect(report.engineVersion).toBe('LAMMPS (5 Oct 2016)');
    expect(report.summary).toMatchObject({
      units: 'lj',
      'minimisation stopped by': 'energy tolerance',
      'minimised energy (ε)': -2.91694356781,
      'final force two-norm (ε/σ)': 0.794548,
      'final largest force component (ε/σ)': 0.268404,
      'minimisation iterations': 475,
    });
  });
});

describe('every value carries its unit', () => {
  const fixture = (dir: string, file: string) =>
    readFileSync(join(__dirname, '..', '..', 'test', 'fixtures', dir, file), 'utf8');
  const build = (engine: 'gaussian' | 'lammps' | 'xtb', files: Record<string, string>) =>
    buildReport(
      Object.assign(new Job(), {
        id: 'd4c6f3d8-3b2e-4b1f-9d3a-5f4e3c2b1a0f',
        name: 'x',
        engine,
        type: engine === 'lammps' ? 'md' : 'qc',
      }),
      async (name) => files[name] ?? null,
    );
  /** Counts, flags and text need no unit; every other number must say what it is in. */
  const UNITLESS =
    /^(thermo blocks|atoms|steps|frequencies|imaginary frequencies|excited states|normal terminations \(steps\)|optimisation cycles|minimisation iterations|brightest oscillator strength)$/;
  const unitless = (report: Awaited<ReturnType<typeof build>>) =>
    report.quantities
      .filter((q) => typeof q.value === 'number' && !q.unit && !UNITLESS.test(q.label))
      .map((q) => q.label);

  it('Gaussian (every corpus log and the fixtures): each non-count number has a unit, and the summary keys say it', async () => {
    const logs = [
      ...['cclib_g16_dvb_ir.out', 'cclib_g16_CO_TD_delta.log', 'cclib_g16_water_mp2.log', 'cclib_g16_dvb_gopt.out'].map(
        (f) => readFileSync(join(corpusDir('gaussian'), f), 'utf8'),
      ),
      fixture('gaussian', 'cclib-g16-water-ccsd-t.log'),
    ];
    for (const text of logs) expect(unitless(await build('gaussian', { 'input.log': text }))).toEqual([]);
    const cc = await build('gaussian', { 'input.log': fixture('gaussian', 'cclib-g16-water-ccsd-t.log') });
    expect(cc.quantities).toEqual(
      expect.arrayContaining([
        { label: 'CCSD energy', value: -75.017683639, unit: 'Eh' },
        { label: 'CCSD(T) energy', value: -75.017760422, unit: 'Eh' },
      ]),
    );
    expect(cc.summary['CCSD(T) energy (Eh)']).toBe(-75.017760422);
  });

  it('a --Link1-- job: one note per step with its route and how it ended', async () => {
    const report = await build('gaussian', {
      'input.log': fixture('gaussian', 'chemsmart-g16-o2-link1-stable-opt-freq.log'),
    });
    expect(report.notes).toEqual([
      'step 1 of 3 (# um062x def2svp stable=opt guess=mix): normal termination',
      'step 2 of 3 (# opt freq um062x def2svp geom=check guess=read): normal termination',
      'step 3 of 3 (#N Geom=AllCheck Guess=TCheck SCRF=Check GenChk UM062X/def2SVP Freq): normal termination',
    ]);
    expect(report.summary['normal terminations (steps)']).toBe(3);
  });

  it('LAMMPS: final thermo values in the units of the run, and a run stopped by `timer timeout` is named in the notes', async () => {
    const report = await build('lammps', { 'log.lammps': fixture('lammps', 'debian-lmp-timeout.log') });
    expect(unitless(report)).toEqual([]);
    expect(report.quantities.find((q) => q.label === 'final Temp')).toMatchObject({ unit: 'ε/k_B' });
    expect(report.quantities.find((q) => q.label === 'final Press')).toMatchObject({ unit: 'ε/σ³' });
    expect(report.summary['last run ended']).toBe('timeout');
    expect(report.notes).toContain(
      'run 2 of 2 (Step Temp E_pair E_mol TotEng Press) stopped at the wall-time limit (timer timeout) after step 4500',
    );
    const real = await build('lammps', {
      'log.lammps': readFileSync(join(corpusDir('lammps'), 'log.8Oct24.linux.8.peptide'), 'utf8'),
    });
    expect(real.quantities.find((q) => q.label === 'final TotEng')).toMatchObject({ unit: 'kcal/mol' });
    expect(real.quantities.find((q) => q.label === 'final Press')).toMatchObject({ unit: 'atm' });
  });

  it('LAMMPS (issue 28.5): every thermo column the script asked for is plotted and given with its unit — density and volume too', async () => {
    const report = await build('lammps', { 'log.lammps': fixture('lammps', 'spce-water-msd.log.lammps') });
    expect(unitless(report)).toEqual([]);
    expect(report.plots.map((p) => p.title)).toEqual(
      expect.arrayContaining(['Density against step', 'Volume against step', 'Lx against step', 'E_coul against step']),
    );
    expect(report.plots.map((p) => p.title)).not.toContain('CPULeft against step');
    expect(report.quantities.find((q) => q.label === 'final Density')).toMatchObject({ unit: 'g/cm³' });
    expect(report.quantities.find((q) => q.label === 'final Volume')).toMatchObject({ unit: 'Å³' });
    expect(report.quantities.find((q) => q.label === 'final Lx')).toMatchObject({ unit: 'Å' });
    expect(report.plots.find((p) => p.title === 'Density against step')?.svg).toContain('Density (g/cm³)');
  });

  it('xtb --ohess: frequencies and the RRHO thermochemistry, in Eh, K and cm⁻¹', async () => {
    const report = await build('xtb', { 'stdout.log': fixture('xtb', 'water-ohess.stdout.log') });
    expect(unitless(report)).toEqual([]);
    expect(report.quantities).toEqual(
      expect.arrayContaining([
        { label: 'frequencies', value: 3, unit: null },
        { label: 'lowest frequency', value: 1539.18, unit: 'cm⁻¹' },
        { label: 'zero-point energy', value: 0.020131400227, unit: 'Eh' },
        { label: 'total free energy', value: -5.068030828398, unit: 'Eh' },
        { label: 'thermochemistry temperature', value: 298.15, unit: 'K' },
      ]),
    );
    expect(reportHtml(report)).toContain('<th scope="row">total free energy</th><td>-5.068030828</td><td>Eh</td>');
  });

  it('xtb frequencies (issue 28.4): every frequency listed, the IR spectrum plotted from vibspectrum, corrections in kcal/mol and kJ/mol', async () => {
    const report = await build('xtb', {
      'stdout.log': fixture('xtb', 'water-ohess.stdout.log'),
      vibspectrum: fixture('xtb', 'water-ohess.vibspectrum'),
    });
    expect(report.quantities).toEqual(
      expect.arrayContaining([
        { label: 'vibrational frequencies', value: '1539.18, 3644.50, 3652.98', unit: 'cm⁻¹' },
        // 0.020131400227 Eh × 627.5094740631 and × 2625.4996394799
        { label: 'zero-point energy', value: 12.633, unit: 'kcal/mol' },
        { label: 'zero-point energy', value: 52.855, unit: 'kJ/mol' },
        { label: 'G(RRHO) contribution', value: 1.577, unit: 'kcal/mol' },
      ]),
    );
    expect(report.summary['zero-point energy (kJ/mol)']).toBe(52.855);
    const ir = report.plots.find((p) => p.title === 'IR spectrum (xtb, harmonic)');
    expect(ir?.svg).toContain('wavenumber (cm⁻¹)');
    expect(ir?.svg.match(/<line|<path/g)?.length).toBeGreaterThan(0);
  });

  it("xtb's own warnings reach the report's notes: a Hessian on an unoptimised geometry says so", async () => {
    const report = await build('xtb', { 'stdout.log': fixture('xtb', 'ethanol-hess-unoptimised.stdout.log') });
    expect(report.notes).toEqual(['xtb warning: Hessian on incompletely optimized geometry!']);
    expect(report.summary['imaginary frequencies']).toBe(1);
  });
});
