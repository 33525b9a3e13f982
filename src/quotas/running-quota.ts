import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CommonConfig } from '../config/common.config';

/** How long a job whose owner is at QUOTA_RUNNING_JOBS waits before it is looked at again. */
export const RUNNING_QUOTA_RETRY_MS = 5_000;

/** A run that must wait: its owner already runs QUOTA_RUNNING_JOBS jobs. Not a failure. */
export class RunDeferred extends Error {
  constructor(readonly delayMs: number) {
    super(`the owner runs the most jobs allowed at once; tried again in ${delayMs} ms`);
  }
}

/** QUOTA_RUNNING_JOBS: checked by local pools and the pull API before a job is dispatched. */
@Injectable()
export class RunningQuota {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CommonConfig) private readonly config: CommonConfig,
  ) {}

  /** Whether the owner of `jobId` already has QUOTA_RUNNING_JOBS jobs DISPATCHED or RUNNING. */
  async full(jobId: string): Promise<boolean> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS running FROM jobs WHERE owner_id = (SELECT owner_id FROM jobs WHERE id = $1) AND status IN ('DISPATCHED', 'RUNNING')`,
      [jobId],
    );
    return (row?.running ?? 0) >= this.config.QUOTA_RUNNING_JOBS;
  }
}
