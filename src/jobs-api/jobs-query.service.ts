import { Injectable, NotFoundException } from '@nestjs/common';
import { BatchStore } from '../batches/batch-store';
import { DataSource } from 'typeorm';
import { ArtifactStore } from '../artifacts/artifact-store';
import { JobStore } from '../jobs/job-store';
import { batchKeys } from '../storage/job-keys';
import type { SignedUrls } from '../storage/signed-urls';

import { Job } from '../jobs/job.entity';
import { listJobs, type JobListPage } from './job-list';
import type { ListJobsQuery } from './list-jobs.query';

/** Reads for the API, always scoped to the owner: another user's id is simply not found. */
@Injectable()
export class JobsQueryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobStore,
    private readonly artifactStore: ArtifactStore,
    private readonly batches: BatchStore,
  ) {}

  list(ownerId: string, q: ListJobsQuery): Promise<JobListPage> {
    return listJobs(this.dataSource, ownerId, q);
  }

  async get(ownerId: string, id: string) {
    const job = await this.owned(ownerId, id);
    const [events, artifacts] = await Promise.all([this.jobs.events(id), this.artifactStore.ofJob(id)]);
    const { ownerId: _, ...visible } = job;
    return {
      ...visible,
      events: events.map(({ fromStatus, toStatus, actor, message, createdAt }) => ({
        from: fromStatus,
        to: toStatus,
        actor,
        message,
        at: createdAt,
      })),
      artifacts: artifacts.map(({ id: artifactId, kind, name, size, sha256, contentType, createdAt }) => ({
        id: artifactId,
        kind,
        name,
        size: Number(size),
        sha256,
        contentType,
        createdAt,
      })),
    };
  }

  async owned(ownerId: string, id: string): Promise<Job> {
    const job = await this.jobs.owned(ownerId, id);
    if (!job) throw new NotFoundException('id: no such job');
    return job;
  }

  /** A signed, expiring download link for one of the owner's artifacts. */
  async artifactLink(ownerId: string, jobId: string, artifactId: string, urls: SignedUrls, ttlSeconds = 900) {
    await this.owned(ownerId, jobId);
    const artifact = await this.artifactStore.one(jobId, artifactId);
    if (!artifact) throw new NotFoundException('artifactId: no such artifact');
    return {
      name: artifact.name,
      url: urls.sign('GET', artifact.storageKey, ttlSeconds),
      expiresAt: new Date(Date.now() + ttlSeconds * 1_000),
    };
  }

  async batch(ownerId: string, id: string, urls: SignedUrls) {
    const batch = await this.batches.owned(ownerId, id);
    if (!batch) throw new NotFoundException('id: no such batch');
    const counts = await this.batches.statusCounts(id);
    const link = (stage: 'partial' | 'final', at: Date | null) =>
      at ? { at, url: urls.sign('GET', batchKeys.report(batch.id, stage, 'html'), 900) } : null;
    return {
      id: batch.id,
      name: batch.name,
      jobCount: batch.jobCount,
      createdAt: batch.createdAt,
      counts,
      reports: { partial: link('partial', batch.reportPartialAt), final: link('final', batch.reportFinalAt) },
    };
  }
}
