import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { GroupCommit } from '../common/group-commit';
import { Batch } from '../batches/batch.entity';
import { JobTransitions } from '../jobs/job-transitions';
import { JobPipeline } from '../jobs/job-pipeline';
import { Job } from '../jobs/job.entity';
import { jobKeys } from '../storage/job-keys';
import { Storage } from '../storage/storage';
import type { CreateJobDto } from './dto/create-job.dto';
import type { JobSpec, UploadedInput } from '../jobs/job-spec';
import { SubmissionQuotas } from '../quotas/submission-quotas';
import { JobInsertBatcher } from './job-insert-batcher';
import { checkSpec, SpecError } from './spec-checker';
import type { UploadedFile } from './uploaded-file';



export interface Submitted {
  id: string;
  status: 'PENDING';
}

/**
 * Writes the job row (PENDING) and its first event, then enqueues it on ingestion. When Redis
 * is unreachable the row stays PENDING and the reconciler enqueues it later, so the 202 the
 * user got is never a lie.
 */
@Injectable()
export class SubmissionService {
  private readonly logger = new Logger(SubmissionService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: JobTransitions,
    private readonly pipeline: JobPipeline,
    private readonly storage: Storage,
    private readonly batcher: JobInsertBatcher,
    private readonly quotas: SubmissionQuotas,
  ) {}

  /** Concurrent single submissions share one addBulk. */
  private readonly enqueues = new GroupCommit<Job>((jobs) => this.enqueueNow(jobs));

  async submit(ownerId: string, dto: CreateJobDto, files: UploadedFile[] = []): Promise<Submitted> {
    const id = randomUUID();
    const uploads: UploadedInput[] = files.map((f) => ({ name: f.name, size: f.size, sha256: '' })); // sha256 once stored
    const spec = checkSpec(dto, uploads);
    await this.quotas.take(ownerId, [spec.resources], false);
    const job = this.newJob(id, ownerId, null, dto, spec);
    const keys = files.map((f) => jobKeys.upload(id, f.name));
    try {
      // files first: a job row never points at inputs that are not there
      // streamed from the upload's temporary file: size and sha256 as storage measured them
      const stored = await Promise.all(files.map((f, i) => this.storage.put(keys[i], f.stream())));
      stored.forEach((s, i) => Object.assign(uploads[i], { size: s.size, sha256: s.sha256 }));
      await this.batcher.insert(job, `user:${ownerId}`);
    } catch (err) {
      await Promise.allSettled(keys.map((k) => this.storage.delete(k)));
      throw err;
    }
    await this.enqueueOrLeave([job]);
    return { id, status: 'PENDING' };
  }

  /** One batch, all jobs or none (a bad job names its index), one addBulk. */
  async submitBulk(ownerId: string, name: string | undefined, dtos: CreateJobDto[]): Promise<{ batchId: string; jobIds: string[] }> {
    const batchId = randomUUID();
    const jobs = dtos.map((dto, i) => {
      try {
        return this.newJob(randomUUID(), ownerId, batchId, dto, checkSpec(dto));
      } catch (err) {
        if (err instanceof SpecError) throw new SpecError(`jobs.${i}.${err.field}`, err.message.slice(err.field.length + 2));
        throw err;
      }
    });
    await this.quotas.take(ownerId, jobs.map((j) => j.spec.resources), true);
    await this.dataSource.transaction(async (m) => {
      await m.insert(Batch, { id: batchId, ownerId, name: name ?? null, jobCount: jobs.length });
      await this.transitions.createMany(m, jobs.map((job) => ({ job, actor: `user:${ownerId}` })));
    });
    await this.enqueueOrLeave(jobs);
    return { batchId, jobIds: jobs.map((j) => j.id) };
  }

  private async enqueueNow(jobs: Job[]): Promise<undefined[]> {
    await this.pipeline.enqueue(jobs);
    return jobs.map(() => undefined);
  }

  private newJob(id: string, ownerId: string, batchId: string | null, dto: CreateJobDto, spec: JobSpec): Job {
    return Object.assign(new Job(), {
      id,
      ownerId,
      batchId,
      type: dto.type,
      engine: dto.engine,
      name: dto.name ?? null,
      priority: dto.priority,
      spec,
      progress: 0,
    });
  }

  private async enqueueOrLeave(jobs: Job[]): Promise<void> {
    try {
      if (jobs.length === 1) await this.enqueues.submit(jobs[0]);
      else await this.enqueueNow(jobs);
    } catch (err) {
      this.logger.warn(`enqueue of ${jobs.length} job(s) failed, the reconciler will retry: ${(err as Error).message}`);
    }
  }
}
