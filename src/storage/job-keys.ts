/** Where a job's files live in object storage. */
export const jobKeys = {
  /** Uploaded inputs, stored by the API before the job row exists. */
  upload: (jobId: string, name: string) => `jobs/${jobId}/uploads/${name}`,
  /** Rendered inputs, stored by ingestion. */
  input: (jobId: string, name: string) => `jobs/${jobId}/inputs/${name}`,
};
