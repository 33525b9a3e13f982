import { parseXyz } from '../chemistry/xyz';
import type { QcSpec, ResourcesSpec } from '../jobs/job-spec';
import { atomLines } from './molecule-lines';

const TASK_FLAGS = { sp: [], opt: ['--opt'], freq: ['--hess'], optfreq: ['--ohess'] } as const;

export function renderXtbXyz(qc: QcSpec, title: string): string {
  const molecule = parseXyz(qc.xyz);
  return [String(molecule.atoms.length), title, ...atomLines(molecule.atoms), ''].join('\n');
}

/** xtb's argv: GFN level, charge, unpaired electrons, task, JSON output, threads. */
export function xtbArgs(qc: QcSpec, resources: ResourcesSpec, xyzName: string): string[] {
  return [
    xyzName,
    '--gfn',
    String(qc.gfn ?? 2),
    '--chrg',
    String(qc.charge),
    '--uhf',
    String(qc.multiplicity - 1),
    ...TASK_FLAGS[qc.task],
    '--json',
    '--parallel',
    String(resources.tasks),
  ];
}
