import { ForbiddenException, Injectable } from '@nestjs/common';
import { BatchStore } from '../batches/batch-store';
import { DataSource } from 'typeorm';
import { QueueName } from '../../queues/queue-name';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import type { ResourcesSpec } from '../jobs/job-spec';
import { JobPipeline } from '../jobs/job-pipeline';
import { queuesOf } from '../jobs/job-routing';
import { JobStatus, type JobType } from '../jobs/job-status';
import { bullJobId, QueueProducer } from '../queueing/queue-producer';
import { SubmissionQuotas } from '../quotas/submission-quotas';
import { jobFilterSql } from './job-filters';
import type { RetryJobsDto } from './retry-jobs.dto';

/** At most this many jobs go back per call; `more` says whether others matched. */
export const RETRY_MAX = 10_000;
const REMOVE_CONCURRENCY = 200;

interface Candidate {
  id: string;
  type: JobType;
  engine: string;
  name: string | null;
  priority: number;
  batch_id: string | null;
  resources: ResourcesSpec;
  uploaded_script: boolean;
}

/** Who retries: the owner, with the grants they hold now. */
export type Retrier = Pick<AuthenticatedUser, 'id' | 'permissions'>;

/**
 * Runs an owner's failed jobs again, chosen by batch, ids or a search (engine, error text, name,
 * dates): each goes FAILED → PENDING (its timeline keeps the failed attempt and says who retried
 * it) and through the whole pipeline again, from ingestion. BullMQ entries carry the job id, so
 * the earlier attempt's finished entries are removed first, or the new ones would be taken for
 * duplicates; a batch whose final report was made gets a new one when its jobs finish again.
 */
@Injectable()
export class JobRetryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly pipeline: JobPipeline,
    private readonly producer: QueueProducer,
    private readonly quotas: SubmissionQuotas,
    private readonly batches: BatchStore,
  ) {}

  async retry(owner: Retrier, dto: RetryJobsDto): Promise<{ retried: number; jobIds: string[]; more: boolean }> {
    const ownerId = owner.id;
    const { where, params } = jobFilterSql(ownerId, { ...dto, status: JobStatus.Failed });
    const found: Candidate[] = await this.dataSource.query(
      `SELECT id, type, engine, name, priority, batch_id, spec->'resources' AS resources,
              (spec->'md'->'script') IS NOT NULL AS uploaded_script
         FROM jobs WHERE ${where.join(' AND ')} ORDER BY created_at, id LIMIT ${RETRY_MAX + 1}`,
      params,
    );
    const chosen = found.slice(0, RETRY_MAX);
    if (chosen.length === 0) return { retried: 0, jobIds: [], more: false };
    this.mayRunScripts(owner, chosen);
    await this.quotas.take(
      ownerId,
      chosen.map((c) => c.resources),
      false,
    );
    await this.clearEarlierEntries(chosen);
    const order = new Map(chosen.map((c, i) => [c.id, i]));

    const moved = await this.pipeline.transaction(async (tx) => {
      const jobs = await tx.advance(
        chosen.map((c) => c.id),
        JobStatus.Pending,
        { from: JobStatus.Failed, actor: `user:${ownerId}`, message: 'retried by its owner: a new attempt' },
      );
      const ids = new Set(jobs.map((j) => j.id));
      const batches = [...new Set(chosen.filter((c) => c.batch_id && ids.has(c.id)).map((c) => c.batch_id!))];
      await this.batches.reopenFinalReports(tx.manager, batches);
      return jobs;
    });
    const jobs = moved.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    return { retried: jobs.length, jobIds: jobs.slice(0, 1_000).map((j) => j.id), more: found.length > RETRY_MAX };
  }

  /** Running an uploaded script again is running it: the `scripts` permission as it is now, or 403 (nothing retried). */
  private mayRunScripts(owner: Retrier, chosen: Candidate[]): void {
    const scripted = chosen.filter((c) => c.uploaded_script).length;
    if (scripted > 0 && !owner.permissions.includes('scripts'))
      throw new ForbiddenException(
        `scripts: ${scripted} of the jobs to retry run an uploaded script; running one again needs the "scripts" permission, which an admin grants (leave them out with jobIds or engine)`,
      );
  }

  /** The earlier attempt's entries in every queue a job passes through, and its batch's final-report entry. */
  private async clearEarlierEntries(jobs: Candidate[]): Promise<void> {
    const removals: (() => Promise<unknown>)[] = [];
    for (const job of jobs) {
      for (const name of queuesOf(job.type)) {
        removals.push(() => this.producer.queue(name).remove(job.id));
      }
    }
    for (const batchId of new Set(jobs.map((j) => j.batch_id).filter((b): b is string => b !== null))) {
      removals.push(() => this.producer.queue(QueueName.Reports).remove(bullJobId({ batchId, stage: 'final' })));
    }
    for (let i = 0; i < removals.length; i += REMOVE_CONCURRENCY) {
      // an entry still locked by a worker cannot go: the reconciler replaces it once it has finished
      await Promise.all(removals.slice(i, i + REMOVE_CONCURRENCY).map((remove) => remove().catch(() => undefined)));
    }
  }
}
