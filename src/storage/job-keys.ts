import type { BatchReportStage } from '../../queues/reports.queue';

/** Where a job's files live in object storage (every key molq writes is made here). */
export const jobKeys = {
  /** Uploaded inputs, stored by the API before the job row exists. */
  upload: (jobId: string, name: string) => `jobs/${jobId}/uploads/${name}`,
  /** Rendered inputs, stored by ingestion. */
  input: (jobId: string, name: string) => `jobs/${jobId}/inputs/${name}`,
  /** A finished run's files, waiting for the upload queue to verify and record them. */
  staging: (jobId: string, name: string) => `jobs/${jobId}/staging/${name}`,
  /** The executor's manifest of the staged files (names, sizes, sha256). */
  stagingManifest: (jobId: string) => `jobs/${jobId}/staging-manifest.json`,
  /** The verified results, moved here from staging by the upload queue. */
  result: (jobId: string, name: string) => `jobs/${jobId}/results/${name}`,
  /** report.json and report.html. */
  report: (jobId: string, name: string) => `jobs/${jobId}/report/${name}`,
};

const STAGING_KEY = /^jobs\/([0-9a-f-]{36})\/staging\/[^/]+$/;

/** The job whose run a staging key belongs to (null for any other key). */
export function stagingJobOf(key: string): string | null {
  return STAGING_KEY.exec(key)?.[1] ?? null;
}

/** Where a batch's files live. */
export const batchKeys = {
  /** The batch report at 90 % ("partial") and 100 % ("final") of its jobs finished. */
  report: (batchId: string, stage: BatchReportStage, ext: 'json' | 'html') =>
    `batches/${batchId}/report-${stage}.${ext}`,
};
