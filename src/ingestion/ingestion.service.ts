import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { DataSource } from 'typeorm';
import { Artifact } from '../artifacts/artifact.entity';
import { runQueueFor } from '../jobs/job-routing';
import type { ScriptSpec } from '../jobs/job-spec';
import { JobStatus } from '../jobs/job-status';
import { JobTransitions } from '../jobs/job-transitions';
import { Job } from '../jobs/job.entity';
import { QueueProducer } from '../queueing/queue-producer';
import { TEXT, RenderError } from '../rendering/deck';
import { renderDeck } from '../rendering/deck-renderer';
import { jobKeys } from '../storage/job-keys';
import { Storage } from '../storage/storage';

export type IngestionOutcome = 'queued' | 'requeued' | 'failed' | 'skipped';

const ACTOR = 'worker:ingestion';

/**
 * Takes a PENDING job to QUEUED: renders its input deck, stores each file with its size and
 * sha256 as an input artifact, then routes it to md or qc with its priority. Safe to repeat:
 * a job already QUEUED is only (idempotently) enqueued again, later states are left alone.
 */
@Injectable()
export class IngestionService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: JobTransitions,
    private readonly producer: QueueProducer,
    private readonly storage: Storage,
  ) {}

  async ingest(jobId: string): Promise<IngestionOutcome> {
    const job = await this.dataSource.getRepository(Job).findOneBy({ id: jobId });
    if (!job) throw new UnrecoverableError(`job ${jobId} does not exist`);
    if (job.status === JobStatus.Queued) return this.route(job, 'requeued');
    if (job.status !== JobStatus.Pending) return 'skipped';

    let deck;
    try {
      deck = renderDeck(job);
    } catch (err) {
      if (!(err instanceof RenderError)) throw err;
      await this.transitions.transition(jobId, JobStatus.Failed, { actor: ACTOR, message: err.message, patch: { error: err.message } });
      return 'failed';
    }
    const artifacts = await Promise.all(
      deck.files.map(async (f) => {
        const stored = await this.storage.put(jobKeys.input(jobId, f.name), f.content);
        return { jobId, kind: 'input' as const, name: f.name, storageKey: stored.key, size: String(stored.size), sha256: stored.sha256, contentType: f.contentType };
      }),
    );
    const uploads = job.spec.md && 'script' in job.spec.md ? (job.spec.md as ScriptSpec).files : [];
    for (const u of uploads) {
      artifacts.push({ jobId, kind: 'input', name: u.name, storageKey: jobKeys.upload(jobId, u.name), size: String(u.size), sha256: u.sha256, contentType: TEXT });
    }

    const after = await this.dataSource.transaction(async (m) => {
      const row = await m.findOne(Job, { where: { id: jobId }, lock: { mode: 'pessimistic_write' } });
      if (!row || row.status !== JobStatus.Pending) return row;
      await m.delete(Artifact, { jobId, kind: 'input' });
      await m.insert(Artifact, artifacts);
      return this.transitions.transitionWithin(m, jobId, JobStatus.Queued, {
        actor: ACTOR,
        message: `rendered ${artifacts.length} input file(s), routed to ${runQueueFor(job.type)}`,
      });
    });
    return after?.status === JobStatus.Queued ? this.route(after, 'queued') : 'skipped';
  }

  private async route(job: Job, outcome: IngestionOutcome): Promise<IngestionOutcome> {
    await this.producer.enqueue(runQueueFor(job.type), { jobId: job.id }, { priority: job.priority });
    return outcome;
  }
}
