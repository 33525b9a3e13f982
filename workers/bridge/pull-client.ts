import {
  PULL_API,
  type ClaimRequest,
  type ClaimResponse,
  type CompleteRequest,
  type EnginesReport,
  type EnginesReportResponse,
  type FailRequest,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type LeaseEndResponse,
  type UploadUrlsRequest,
  type UploadUrlsResponse,
} from '../../src/pull/pull-contract';
import { MasterHttpError, type MasterClient } from './master-client';

/** The master answered that this lease is no longer the bridge's (409: lapsed or taken over; 404: the job is gone). */
export const leaseLost = (err: unknown): boolean =>
  err instanceof MasterHttpError && (err.status === 409 || err.status === 404);

/** The pull API as the bridge calls it: one method per call, typed by the contract the master's controller implements. */
export class PullClient {
  constructor(private readonly master: MasterClient) {}

  claim(request: ClaimRequest): Promise<ClaimResponse> {
    return this.master.call('POST', PULL_API.claim, request);
  }

  heartbeat(jobId: string, request: HeartbeatRequest): Promise<HeartbeatResponse> {
    return this.master.call('POST', PULL_API.heartbeat(jobId), request);
  }

  uploadUrls(jobId: string, request: UploadUrlsRequest): Promise<UploadUrlsResponse> {
    return this.master.call('POST', PULL_API.uploadUrls(jobId), request);
  }

  complete(jobId: string, request: CompleteRequest): Promise<LeaseEndResponse> {
    return this.master.call('POST', PULL_API.complete(jobId), request);
  }

  fail(jobId: string, request: FailRequest): Promise<LeaseEndResponse> {
    return this.master.call('POST', PULL_API.fail(jobId), request);
  }

  reportEngines(request: EnginesReport): Promise<EnginesReportResponse> {
    return this.master.call('PUT', PULL_API.engines, request);
  }
}
