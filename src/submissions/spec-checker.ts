import { closestBasis, closestMethod, gaussianMethod, isGaussianBasis } from '../chemistry/gaussian-keywords';
import { parseXyz, spinProblem, XyzError } from '../chemistry/xyz';
import type { CreateJobDto } from './dto/create-job.dto';
import type { QcSpecDto } from './dto/qc-spec.dto';
import type { JobSpec, UploadedInput } from '../jobs/job-spec';

/** A submission that passed the DTO's field checks but not the cross-field ones; names the field. */
export class SpecError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** What the operator allows (CommonConfig): the longest walltime per job type. */
export interface SpecLimits {
  walltimeMaxMinutes: { md: number; qc: number };
}

export const specLimitsOf = (config: {
  WALLTIME_MAX_MINUTES_MD: number;
  WALLTIME_MAX_MINUTES_QC: number;
}): SpecLimits => ({
  walltimeMaxMinutes: { md: config.WALLTIME_MAX_MINUTES_MD, qc: config.WALLTIME_MAX_MINUTES_QC },
});

const ENGINE_TYPE = { lammps: 'md', gaussian: 'qc', xtb: 'qc' } as const;

/**
 * Checks what one field cannot check alone (engine vs type, template vs script, XYZ and
 * charge/multiplicity, engine-specific keywords) and returns the complete spec to store.
 */
export function checkSpec(dto: CreateJobDto, uploads: UploadedInput[] = [], limits?: SpecLimits): JobSpec {
  if (ENGINE_TYPE[dto.engine] !== dto.type)
    throw new SpecError('engine', `${dto.engine} does not run ${dto.type} jobs`);
  const r = dto.resources;
  const ceiling = limits?.walltimeMaxMinutes[dto.type];
  if (ceiling !== undefined && r.walltimeMinutes > ceiling)
    throw new SpecError(
      'resources.walltimeMinutes',
      `at most ${ceiling} minutes for ${dto.type} jobs on this server (the operator's WALLTIME_MAX_MINUTES_${dto.type.toUpperCase()})`,
    );
  const resources = {
    tasks: r.tasks,
    walltimeMinutes: r.walltimeMinutes,
    memoryMb: r.memoryMb,
    ...(r.partition ? { partition: r.partition } : {}),
  };
  if (dto.type === 'md') {
    if (dto.qc) throw new SpecError('qc', 'not allowed for an md job');
    return { resources, md: checkMd(dto, uploads) };
  }
  if (dto.md) throw new SpecError('md', 'not allowed for a qc job');
  if (uploads.length > 0) throw new SpecError('files', 'qc jobs take their molecule in qc.xyz, not as uploaded files');
  return { resources, qc: checkQc(dto) };
}

function checkMd(dto: CreateJobDto, uploads: UploadedInput[]): NonNullable<JobSpec['md']> {
  const md = dto.md!;
  if (md.template && md.script) throw new SpecError('md', 'give either template or script, not both');
  if (md.template) {
    if (uploads.length > 0) throw new SpecError('files', 'a template job takes no uploaded files');
    const p = md.params ?? ({} as NonNullable<typeof md.params>);
    const steps = p.steps ?? 250;
    return {
      template: md.template,
      params: {
        atomsPerSide: p.atomsPerSide ?? 10,
        temperature: p.temperature ?? 3.0,
        steps,
        thermoEvery: p.thermoEvery ?? Math.max(1, Math.floor(steps / 10)),
        seed: p.seed ?? 87287,
      },
    };
  }
  if (!md.script) throw new SpecError('md', 'give a template or the name of an uploaded script');
  if (md.params) throw new SpecError('md.params', 'only for a template job');
  if (!uploads.some((u) => u.name === md.script)) throw new SpecError('md.script', `${md.script} was not uploaded`);
  return { script: md.script, files: uploads };
}

function checkQc(dto: CreateJobDto): NonNullable<JobSpec['qc']> {
  const qc = dto.qc!;
  let molecule;
  try {
    molecule = parseXyz(qc.xyz);
  } catch (err) {
    if (err instanceof XyzError) throw new SpecError('qc.xyz', err.message);
    throw err;
  }
  const spin = spinProblem(molecule, qc.charge, qc.multiplicity);
  if (spin) throw new SpecError('qc.multiplicity', spin);
  const base = { xyz: qc.xyz, charge: qc.charge, multiplicity: qc.multiplicity, task: qc.task };
  if (dto.engine === 'gaussian') {
    if (qc.gfn !== undefined) throw new SpecError('qc.gfn', 'only for xtb');
    return { ...base, ...gaussianModel(qc) };
  }
  if (qc.method !== undefined) throw new SpecError('qc.method', 'not used by xtb (choose qc.gfn)');
  if (qc.basis !== undefined) throw new SpecError('qc.basis', 'not used by xtb');
  if (qc.customKeywords) throw new SpecError('qc.customKeywords', 'only for gaussian');
  return { ...base, gfn: qc.gfn ?? 2 };
}

/**
 * Gaussian's method and basis, checked against the names Gaussian 16 knows (gaussian-keywords.ts)
 * unless qc.customKeywords says to send them as written; a method that brings its own basis takes none.
 */
function gaussianModel(qc: QcSpecDto): { method: string; basis?: string } {
  if (!qc.method) throw new SpecError('qc.method', 'required for gaussian');
  if (qc.customKeywords) return { method: qc.method, ...(qc.basis ? { basis: qc.basis } : {}) };
  const method = gaussianMethod(qc.method);
  if (!method) throw new SpecError('qc.method', unknownName(qc.method, 'a method', closestMethod(qc.method)));
  if (method.ownBasis) {
    if (qc.basis) throw new SpecError('qc.basis', `${qc.method} brings its own basis set: leave qc.basis out`);
    return { method: qc.method };
  }
  if (!qc.basis) throw new SpecError('qc.basis', `required for gaussian with ${qc.method}`);
  if (!isGaussianBasis(qc.basis))
    throw new SpecError('qc.basis', unknownName(qc.basis, 'a basis set', closestBasis(qc.basis)));
  return { method: qc.method, basis: qc.basis };
}

function unknownName(name: string, what: string, suggestion: string | undefined): string {
  const hint = suggestion ? `; did you mean ${suggestion}?` : '.';
  return `'${name}' is not ${what} Gaussian knows${hint} Set qc.customKeywords: true to send it as written`;
}
