import type { JobSpec } from '../jobs/job-spec';
import { Job } from '../jobs/job.entity';
import { inputHashOf } from './input-hash';

const WATER = '3\nwater\nO 0.000 0.000 0.117\nH 0.000 0.757 -0.467\nH 0.000 -0.757 -0.467\n';
const resources: JobSpec['resources'] = { tasks: 1, walltimeMinutes: 60, memoryMb: 2000 };

function job(engine: Job['engine'], spec: JobSpec, over: Partial<Job> = {}): Job {
  return Object.assign(new Job(), {
    id: '0d6c6f1e-8a43-4c34-9a1d-7c1f3f4b2a10',
    type: engine === 'lammps' ? 'md' : 'qc',
    engine,
    name: 'water',
    spec,
    ...over,
  });
}

const xtb = (qc: Partial<NonNullable<JobSpec['qc']>> = {}, res = resources, over: Partial<Job> = {}) =>
  job('xtb', { resources: res, qc: { xyz: WATER, charge: 0, multiplicity: 1, task: 'sp', gfn: 2, ...qc } }, over);
const gaussian = (res = resources) =>
  job('gaussian', {
    resources: res,
    qc: { xyz: WATER, charge: 0, multiplicity: 1, task: 'opt', method: 'B3LYP', basis: '6-31G(d)' },
  });
const script = (sha256: string) =>
  job('lammps', {
    resources,
    md: { script: 'in.melt', files: [{ name: 'in.melt', size: 10, sha256 }] },
  } as JobSpec);

describe('inputHashOf', () => {
  it('ignores what only reaches titles and the scheduler: id, name, walltime, memory, partition', () => {
    const base = inputHashOf(xtb());
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(inputHashOf(xtb({}, resources, { id: 'f6e1b2a0-0000-4000-8000-000000000001', name: 'other' }))).toBe(base);
    expect(inputHashOf(xtb({}, { ...resources, walltimeMinutes: 600, memoryMb: 8000, partition: 'long' }))).toBe(base);
  });

  it('changes with the engine, molecule, charge, task, method level and thread count', () => {
    const base = inputHashOf(xtb());
    const others = [
      xtb({ xyz: WATER.replace('0.117', '0.118') }),
      xtb({ charge: 2 }),
      xtb({ task: 'opt' }),
      xtb({ gfn: 1 }),
      xtb({}, { ...resources, tasks: 2 }),
      gaussian(),
    ].map(inputHashOf);
    expect(new Set([base, ...others]).size).toBe(7);
  });

  it("Gaussian's memory is part of its input file, so it counts there", () => {
    expect(inputHashOf(gaussian({ ...resources, memoryMb: 4000 }))).not.toBe(inputHashOf(gaussian()));
  });

  it('covers uploaded files by their sha256', () => {
    expect(inputHashOf(script('a'.repeat(64)))).not.toBe(inputHashOf(script('b'.repeat(64))));
    expect(inputHashOf(script('a'.repeat(64)))).toBe(inputHashOf(script('a'.repeat(64))));
  });
});
