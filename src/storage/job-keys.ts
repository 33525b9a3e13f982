/** Where a job's files live in object storage. */
export const jobKeys = {
  /** Uploaded inputs, stored by the API before the job row exists. */
  upload: (jobId: string, name: string) => `jobs/${jobId}/uploads/${name}`,
  /** Rendered inputs, stored by ingestion. */
  input: (jobId: string, name: string) => `jobs/${jobId}/inputs/${name}`,
  /** A finished run's files, waiting for the upload queue to verify and record them. */
  staging: (jobId: string, name: string) => `jobs/${jobId}/staging/${name}`,
  /** The executor's manifest of the staged files (names, sizes, sha256). */
  stagingManifest: (jobId: string) => `jobs/${jobId}/staging-manifest.json`,
};
