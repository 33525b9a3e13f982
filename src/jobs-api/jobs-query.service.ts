import { Injectable, NotFoundException } from '@nestjs/common';
import { Between, DataSource, ILike, LessThan, MoreThanOrEqual } from 'typeorm';
import { Artifact } from '../artifacts/artifact.entity';
import { Batch } from '../batches/batch.entity';
import { JobEvent } from '../jobs/job-event.entity';
import { batchReportKey } from '../results/batch-report.service';
import type { SignedUrls } from '../storage/signed-urls';
import { JOB_STATUSES, type JobStatus } from '../jobs/job-status';
import { Job } from '../jobs/job.entity';
import type { ListJobsQuery } from './list-jobs.query';

const SUMMARY = ['id', 'name', 'type', 'engine', 'status', 'progress', 'priority', 'batchId', 'createdAt', 'updatedAt', 'startedAt', 'finishedAt'] as const;

function createdBetween(from?: string, to?: string) {
  if (from && to) return Between(new Date(from), new Date(to));
  return from ? MoreThanOrEqual(new Date(from)) : LessThan(new Date(to!));
}

/** Reads for the API, always scoped to the owner: another user's id is simply not found. */
@Injectable()
export class JobsQueryService {
  constructor(private readonly dataSource: DataSource) {}

  async list(ownerId: string, q: ListJobsQuery) {
    const where = {
      ownerId,
      ...(q.status ? { status: q.status } : {}),
      ...(q.type ? { type: q.type } : {}),
      ...(q.engine ? { engine: q.engine } : {}),
      ...(q.batchId ? { batchId: q.batchId } : {}),
      ...(q.q ? { name: ILike(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) } : {}),
      ...(q.createdFrom || q.createdTo ? { createdAt: createdBetween(q.createdFrom, q.createdTo) } : {}),
    };
    const [items, total] = await this.dataSource.getRepository(Job).findAndCount({
      select: [...SUMMARY],
      where,
      order: { createdAt: 'DESC', id: 'DESC' },
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    });
    return { items, total, page: q.page, pageSize: q.pageSize };
  }

  async get(ownerId: string, id: string) {
    const job = await this.owned(ownerId, id);
    const [events, artifacts] = await Promise.all([
      this.dataSource.getRepository(JobEvent).find({ where: { jobId: id }, order: { id: 'ASC' } }),
      this.dataSource.getRepository(Artifact).find({ where: { jobId: id }, order: { kind: 'ASC', name: 'ASC' } }),
    ]);
    const { ownerId: _, ...visible } = job;
    return {
      ...visible,
      events: events.map(({ fromStatus, toStatus, actor, message, createdAt }) => ({ from: fromStatus, to: toStatus, actor, message, at: createdAt })),
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
    const job = await this.dataSource.getRepository(Job).findOneBy({ id, ownerId });
    if (!job) throw new NotFoundException('id: no such job');
    return job;
  }

  /** A signed, expiring download link for one of the owner's artifacts. */
  async artifactLink(ownerId: string, jobId: string, artifactId: string, urls: SignedUrls, ttlSeconds = 900) {
    await this.owned(ownerId, jobId);
    const artifact = await this.dataSource.getRepository(Artifact).findOneBy({ id: artifactId, jobId });
    if (!artifact) throw new NotFoundException('artifactId: no such artifact');
    return { name: artifact.name, url: urls.sign('GET', artifact.storageKey, ttlSeconds), expiresAt: new Date(Date.now() + ttlSeconds * 1_000) };
  }

  async batch(ownerId: string, id: string, urls: SignedUrls) {
    const batch = await this.dataSource.getRepository(Batch).findOneBy({ id, ownerId });
    if (!batch) throw new NotFoundException('id: no such batch');
    const rows: { status: JobStatus; n: string }[] = await this.dataSource.query(
      'SELECT status, count(*) AS n FROM jobs WHERE batch_id = $1 GROUP BY status',
      [id],
    );
    const counts = Object.fromEntries(JOB_STATUSES.map((s) => [s, 0])) as Record<JobStatus, number>;
    for (const r of rows) counts[r.status] = Number(r.n);
    const link = (stage: 'partial' | 'final', at: Date | null) => (at ? { at, url: urls.sign('GET', batchReportKey(batch.id, stage, 'html'), 900) } : null);
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
