/** sp: single point; opt: optimisation; freq: frequencies at the given geometry; optfreq: optimise, then frequencies there. */
export const QC_TASKS = ['sp', 'opt', 'freq', 'optfreq'] as const;
export type QcTask = (typeof QC_TASKS)[number];

export interface ResourcesSpec {
  tasks: number;
  walltimeMinutes: number;
  memoryMb: number;
  partition?: string;
}

export interface LjMeltSpec {
  template: 'lj-melt';
  params: { atomsPerSide: number; temperature: number; steps: number; thermoEvery: number; seed: number };
}

export interface UploadedInput {
  name: string;
  size: number;
  sha256: string;
}

export interface ScriptSpec {
  script: string;
  files: UploadedInput[];
}

export interface QcSpec {
  xyz: string;
  charge: number;
  multiplicity: number;
  task: QcTask;
  method?: string;
  basis?: string;
  gfn?: 0 | 1 | 2;
}

/** What jobs.spec holds: the checked, complete submission (defaults filled in). */
export interface JobSpec {
  resources: ResourcesSpec;
  md?: LjMeltSpec | ScriptSpec;
  qc?: QcSpec;
}

/** The files a user uploaded with a LAMMPS script job (none for other jobs). */
export function uploadedFilesOf(spec: JobSpec): UploadedInput[] {
  return spec.md && 'script' in spec.md ? (spec.md as ScriptSpec).files : [];
}
