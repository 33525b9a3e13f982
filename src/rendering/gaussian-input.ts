import { parseXyz } from '../chemistry/xyz';
import type { QcSpec, ResourcesSpec } from '../jobs/job-spec';
import { atomLines } from './molecule-lines';

const ROUTE_TASK = { sp: 'SP', opt: 'Opt', freq: 'Freq', optfreq: 'Opt Freq' } as const;

/** A Gaussian 16 input (.gjf): link 0, route, title, charge/multiplicity, coordinates. */
export function renderGaussianInput(qc: QcSpec, resources: ResourcesSpec, title: string): string {
  const molecule = parseXyz(qc.xyz);
  return [
    `%nprocshared=${resources.tasks}`,
    `%mem=${resources.memoryMb}MB`,
    '%chk=job.chk',
    `#p ${qc.basis ? `${qc.method}/${qc.basis}` : qc.method} ${ROUTE_TASK[qc.task]}`, // semi-empirical, Gn, CBS: no basis
    '',
    title,
    '',
    `${qc.charge} ${qc.multiplicity}`,
    ...atomLines(molecule.atoms),
    '',
    '',
  ].join('\n');
}
