import type { Engine, JobStatus, JobType } from '../jobs/job-status';

/** Filters over one owner's jobs, as the job list and the retry take them (all given ones apply together). */
export interface JobFilters {
  status?: JobStatus;
  type?: JobType;
  engine?: Engine;
  batchId?: string;
  jobIds?: string[];
  /** Part of the name, case-insensitive. */
  q?: string;
  /** Part of the error message, case-insensitive. */
  error?: string;
  createdFrom?: string;
  createdTo?: string;
}

const contains = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The filters as SQL conditions on jobs: the first is always ownership (params[0] is the owner's id). */
export function jobFilterSql(ownerId: string, f: JobFilters): { where: string[]; params: unknown[] } {
  const params: unknown[] = [ownerId];
  const where = ['owner_id = $1'];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (f.status) add((p) => `status = ${p}`, f.status);
  if (f.type) add((p) => `type = ${p}`, f.type);
  if (f.engine) add((p) => `engine = ${p}`, f.engine);
  if (f.batchId) {
    add((p) => `batch_id = ${p}`, f.batchId);
    // a batch's jobs are its owner's: once the batch is found to be the caller's, the batch index alone reads them
    // (left to itself, the planner may walk the owner's whole list newest first looking for an old batch's jobs)
    where[0] = `EXISTS (SELECT 1 FROM batches WHERE id = $${params.length} AND owner_id = $1)`;
  }
  if (f.jobIds) add((p) => `id = ANY(${p}::uuid[])`, f.jobIds);
  if (f.q) add((p) => `name ILIKE ${p}`, contains(f.q));
  if (f.error) add((p) => `error ILIKE ${p}`, contains(f.error));
  if (f.createdFrom) add((p) => `created_at >= ${p}`, new Date(f.createdFrom));
  if (f.createdTo) add((p) => `created_at < ${p}`, new Date(f.createdTo));
  return { where, params };
}
