import { Inject, Injectable } from '@nestjs/common';
import { CommonConfig } from '../config/common.config';
import { randomUUID } from 'node:crypto';
import { GroupCommit } from '../common/group-commit';
import { BatchStore } from '../batches/batch-store';
import { EngineAvailability } from '../engines/engine-availability';
import { JobPipeline } from '../jobs/job-pipeline';
import { Job } from '../jobs/job.entity';
import { jobKeys } from '../storage/job-keys';
import { Storage } from '../storage/storage';
import type { CreateJobDto } from './dto/create-job.dto';
import type { JobSpec, UploadedInput } from '../jobs/job-spec';
import { SubmissionQuotas } from '../quotas/submission-quotas';
import { withFileContents, type Idempotency } from './idempotency-key';
import { IdempotencyKeys } from './idempotency-keys';
import { JobInsertBatcher } from './job-insert-batcher';
import { checkSpec, SpecError, specLimitsOf, type SpecLimits } from './spec-checker';
import type { UploadedFile } from './uploaded-file';

export interface Submitted {
  id: string;
  status: 'PENDING';
  /** The answer of an earlier request with the same Idempotency-Key (nothing new was submitted). */
  replayed?: true;
}

export interface SubmittedBatch {
  batchId: string;
  jobIds: string[];
  replayed?: true;
}

/**
 * Writes the job row (PENDING) and its first event, then enqueues it on ingestion. When Redis
 * is unreachable the row stays PENDING and the reconciler enqueues it later, so the 202 the
 * user got is never a lie.
 */
@Injectable()
export class SubmissionService {
  constructor(
    private readonly pipeline: JobPipeline,
    private readonly storage: Storage,
    private readonly batcher: JobInsertBatcher,
    private readonly quotas: SubmissionQuotas,
    private readonly keys: IdempotencyKeys,
    private readonly batches: BatchStore,
    private readonly engines: EngineAvailability,
    @Inject(CommonConfig) config: CommonConfig,
  ) {
    this.limits = specLimitsOf(config);
  }

  private readonly limits: SpecLimits;

  /** Concurrent single submissions share one addBulk. */
  private readonly enqueues = new GroupCommit<Job>((jobs) => this.enqueueNow(jobs));

  async submit(ownerId: string, dto: CreateJobDto, files: UploadedFile[] = [], idem?: Idempotency): Promise<Submitted> {
    let id: string = randomUUID();
    const uploads: UploadedInput[] = files.map((f) => ({ name: f.name, size: f.size, sha256: '' })); // sha256 once stored
    const spec = checkSpec(dto, uploads, this.limits);
    const waiting = (await this.engines.check([dto.engine], () => 'engine')).get(dto.engine);
    if (idem) {
      idem = await withFileContents(idem, files);
      const reserved = await this.keys.reserve(ownerId, idem, { batchId: null, jobIds: [id] });
      id = reserved.jobIds[0];
      if (reserved.done) return { id, status: 'PENDING', replayed: true };
    }
    await this.quotas.take(ownerId, [spec.resources], false);
    const job = this.newJob(id, ownerId, { batchId: null, batchIndex: null }, dto, spec);
    const keys = files.map((f) => jobKeys.upload(id, f.name));
    try {
      // files first: a job row never points at inputs that are not there
      // streamed from the upload's temporary file: size and sha256 as storage measured them
      const stored = await Promise.all(files.map((f, i) => this.storage.put(keys[i], f.stream())));
      stored.forEach((s, i) => Object.assign(uploads[i], { size: s.size, sha256: s.sha256 }));
      if (idem) {
        // the key's lock: of two identical requests at once, one inserts and the other answers as it did
        const inserted = await this.pipeline.transaction(async (tx) => {
          if (await this.keys.lockDone(tx.manager, ownerId, idem.key, id)) return false;
          await tx.create([{ job, actor: `user:${ownerId}`, message: waiting }]);
          return true;
        });
        if (!inserted) return { id, status: 'PENDING', replayed: true }; // its uploads were the same files, under the same names
      } else {
        await this.batcher.insert(job, `user:${ownerId}`, waiting);
      }
    } catch (err) {
      // a keyed job's uploads stay: the same key's retry (or the request that inserted it) owns them
      if (!idem) await Promise.allSettled(keys.map((k) => this.storage.delete(k)));
      throw err;
    }
    await this.enqueueOrLeave([job]);
    return { id, status: 'PENDING' };
  }

  /** One batch, all jobs or none (a bad job names its index), one addBulk. */
  async submitBulk(
    ownerId: string,
    name: string | undefined,
    dtos: CreateJobDto[],
    idem?: Idempotency,
    reuse = true,
  ): Promise<SubmittedBatch> {
    let batchId: string = randomUUID();
    const jobs = dtos.map((dto, i) => {
      try {
        // its position: the batch is read in the order it was given (its ids are random, its created_at one)
        const at = { batchId, batchIndex: i };
        return this.newJob(
          randomUUID(),
          ownerId,
          at,
          { ...dto, reuse: dto.reuse ?? reuse },
          checkSpec(dto, [], this.limits),
        );
      } catch (err) {
        if (err instanceof SpecError)
          throw new SpecError(`jobs.${i}.${err.field}`, err.message.slice(err.field.length + 2));
        throw err;
      }
    });
    const waiting = await this.engines.check(
      jobs.map((j) => j.engine),
      (i) => `jobs.${i}.engine`,
    );
    if (idem) {
      const reserved = await this.keys.reserve(ownerId, idem, { batchId, jobIds: jobs.map((j) => j.id) });
      batchId = reserved.batchId!;
      jobs.forEach((job, i) => Object.assign(job, { id: reserved.jobIds[i], batchId }));
      if (reserved.done) return { batchId, jobIds: reserved.jobIds, replayed: true };
    }
    await this.quotas.take(
      ownerId,
      jobs.map((j) => j.spec.resources),
      true,
    );
    const inserted = await this.pipeline.transaction(async (tx) => {
      if (idem && (await this.keys.lockDone(tx.manager, ownerId, idem.key, jobs[0].id))) return false;
      await this.batches.create(tx.manager, { id: batchId, ownerId, name: name ?? null, jobCount: jobs.length });
      await tx.create(jobs.map((job) => ({ job, actor: `user:${ownerId}`, message: waiting.get(job.engine) })));
      return true;
    });
    if (!inserted) return { batchId, jobIds: jobs.map((j) => j.id), replayed: true };
    await this.enqueueOrLeave(jobs);
    return { batchId, jobIds: jobs.map((j) => j.id) };
  }

  private async enqueueNow(jobs: Job[]): Promise<undefined[]> {
    await this.pipeline.enqueue(jobs);
    return jobs.map(() => undefined);
  }

  private newJob(
    id: string,
    ownerId: string,
    at: Pick<Job, 'batchId' | 'batchIndex'>,
    dto: CreateJobDto,
    spec: JobSpec,
  ): Job {
    return Object.assign(new Job(), {
      id,
      ownerId,
      ...at,
      type: dto.type,
      engine: dto.engine,
      name: dto.name ?? null,
      priority: dto.priority,
      reuse: dto.reuse ?? true,
      labels: dto.labels ?? {},
      spec,
      progress: 0,
    });
  }

  /** Entries for committed jobs: singles share one addBulk; one Redis refuses is left to the pipeline's retries and the reconciler. */
  private async enqueueOrLeave(jobs: Job[]): Promise<void> {
    if (jobs.length !== 1) return this.pipeline.enqueueOrLeave(jobs);
    await this.enqueues.submit(jobs[0]).catch(() => this.pipeline.enqueueOrLeave(jobs));
  }
}
