/** A molq job's lifecycle state, stored in jobs.status. */
export enum JobStatus {
  Pending = 'PENDING',
  Queued = 'QUEUED',
  Dispatched = 'DISPATCHED',
  Running = 'RUNNING',
  Uploading = 'UPLOADING',
  Reporting = 'REPORTING',
  Completed = 'COMPLETED',
  Failed = 'FAILED',
  Cancelled = 'CANCELLED',
}

export const JOB_STATUSES: readonly JobStatus[] = Object.values(JobStatus);

export const FINAL_STATUSES: readonly JobStatus[] = [JobStatus.Completed, JobStatus.Failed, JobStatus.Cancelled];

export type JobType = 'md' | 'qc';
export const JOB_TYPES: readonly JobType[] = ['md', 'qc'];

export type Engine = 'lammps' | 'gaussian' | 'xtb';
export const ENGINES: readonly Engine[] = ['lammps', 'gaussian', 'xtb'];
