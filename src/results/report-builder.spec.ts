import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir } from '../../test/support/corpus';
import { Job } from '../jobs/job.entity';
import { buildReport } from './report-builder';
import { reportHtml } from './report-html';

const gaussian = (file: string) => {
  const job = Object.assign(new Job(), { id: 'b2a4f1b6-1f0c-4f9e-9b1e-3d2c1a0f9e8d', name: file, engine: 'gaussian', type: 'qc' });
  const text = readFileSync(join(corpusDir('gaussian'), file), 'utf8');
  return buildReport(job, async (name) => (name === 'input.log' ? text : null));
};

describe('reports from real Gaussian logs (g16 cannot run here; its path is covered by these)', () => {
  it('a frequency job: key numbers and a stick IR spectrum', async () => {
    const report = await gaussian('cclib_g16_dvb_ir.out');
    expect(report.engineVersion).toMatch(/^Gaussian (09|16) E[MS]64L-G(09|16)Rev[A-Z]\.\d\d$/);
    expect(report.summary).toMatchObject({ 'final SCF energy (Eh)': -382.308266602, 'HOMO (Eh)': -0.15308, 'LUMO (Eh)': 0.03742, frequencies: 54, 'imaginary frequencies': 0, 'normal termination': true });
    expect(report.summary).toMatchObject({
      route: '#p b3lyp/sto-3g guess=read freq=hpmodes geom=allcheck',
      'zero-point correction (Eh)': 0.177132,
      'sum of electronic and thermal free energies (Eh)': -382.164915,
      'dipole moment (Debye)': 0,
    });
    expect(report.plots.map((p) => p.title)).toEqual(['IR spectrum']);
    expect(report.plots[0].svg).toMatch(/^<svg/);
    expect(reportHtml(report)).toContain('<th scope="row">sum of electronic and thermal free energies (Eh)</th><td>-382.164915</td>');
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
    const job = Object.assign(new Job(), { id: 'c3b5e2c7-2a1d-4a0f-8c2f-4e3d2b1a0f9e', name: file, engine: 'lammps', type: 'md' });
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
