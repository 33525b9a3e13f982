import type { RunQueueName } from '../../queues/queue-name';
import type { EngineOffer } from '../engines/engine-offers';
import type { DeckManifest, EngineCommand } from '../rendering/deck';

/**
 * The pull API between the master and campus bridges, defined once: the controller's DTOs
 * implement the requests, the service returns the answers, and the bridge's PullClient calls the
 * same paths with the same types, so neither side can drift from the other without failing to
 * compile. Types only (and the paths): nothing here reaches a database or Redis.
 */
export const PULL_API = {
  claim: '/api/v1/workers/jobs/claim',
  heartbeat: (jobId: string) => `/api/v1/workers/jobs/${jobId}/heartbeat`,
  uploadUrls: (jobId: string) => `/api/v1/workers/jobs/${jobId}/upload-urls`,
  complete: (jobId: string) => `/api/v1/workers/jobs/${jobId}/complete`,
  fail: (jobId: string) => `/api/v1/workers/jobs/${jobId}/fail`,
  engines: '/api/v1/workers/engines',
} as const;

export interface ClaimRequest {
  queues: RunQueueName[];
  /** At most 20. */
  max?: number;
  waitMs?: number;
  /** The caller's id for this claim: asked again, the claim answers with the jobs it already leased. */
  claimId?: string;
}

export interface ClaimedInput {
  name: string;
  size: number;
  sha256: string;
  /** A signed GET URL. */
  url: string;
}

export interface ClaimedJob {
  jobId: string;
  queue: RunQueueName;
  leaseToken: string;
  leaseMs: number;
  attempt: number;
  schedulerId: string | null;
  engine: DeckManifest['engine'];
  resources: DeckManifest['resources'];
  command: EngineCommand | null;
  /** The engine reads a script the user uploaded: a cluster without a sandbox refuses it. */
  userScript: boolean;
  inputs: ClaimedInput[];
}

export interface ClaimResponse {
  jobs: ClaimedJob[];
}

export interface LeaseRequest {
  leaseToken: string;
}

export interface HeartbeatRequest extends LeaseRequest {
  schedulerId?: string;
  schedulerState?: string;
  progress?: number;
}

export interface HeartbeatResponse {
  /** The user cancelled the job: stop it and end the lease. */
  cancel: boolean;
  leaseMs: number;
}

export interface UploadUrlsRequest extends LeaseRequest {
  names: string[];
}

export interface UploadUrlsResponse {
  urls: { name: string; url: string }[];
}

export interface ResultFile {
  name: string;
  size: number;
  sha256: string;
}

export interface CompleteRequest extends LeaseRequest {
  files: ResultFile[];
}

export interface FailRequest extends LeaseRequest {
  message: string;
  retryable: boolean;
}

/** Where the job went: UPLOADING after complete; QUEUED (retried), FAILED or CANCELLED after fail. */
export interface LeaseEndResponse {
  status: string;
}

/**
 * What a bridge's cluster can run, sent at start and every `reportEveryMs`: its entry in the engine
 * registry (the master refuses or holds jobs no live pool or bridge can run). An entry not renewed
 * within `ttlMs` expires; a report with no queues removes it (a bridge that stops).
 */
export interface EnginesReport {
  /** This bridge process's id (UUID v4): one entry per running bridge, whatever token it shares. */
  instanceId: string;
  /** The run queues it claims from (the token's queues bound them). */
  queues: RunQueueName[];
  /** Each engine its cluster runs, with the version it printed (null: none before a run, as g16). */
  engines: EngineOffer[];
}

export interface EnginesReportResponse {
  ttlMs: number;
  reportEveryMs: number;
}
