import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Job as BullJob } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { JobStore } from '../jobs/job-store';
import { MasterConfig } from '../config/master.config';
import { runQueueFor } from '../jobs/job-routing';
import { JobStatus } from '../jobs/job-status';
import { Job } from '../jobs/job.entity';
import { jobKeys } from '../storage/job-keys';
import { RUNNING_QUOTA_RETRY_MS } from '../quotas/running-quota';
import { OUT_FOR_RUN } from '../jobs/job-routing';
import { runCompleted, runFailed } from '../executor/run-outcome';
import { RunLifecycle, type RunStep } from '../running/run-lifecycle';
import { slurmPhase } from '../slurm/slurm-states';
import { SignedUrls } from '../storage/signed-urls';
import { Storage } from '../storage/storage';
import type { WorkerToken } from '../worker-tokens/worker-token.entity';
import type { ClaimDto, CompleteDto, FailDto, HeartbeatDto, UploadUrlsDto } from './dto/pull.dto';
import { ClaimReceipts } from './claim-receipts';
import { LeaseBroker, LeaseLostError, RUN_QUEUES, type RunQueueName } from './lease-broker';
import type {
  ClaimedJob,
  ClaimResponse,
  HeartbeatResponse,
  LeaseEndResponse,
  UploadUrlsResponse,
} from './pull-contract';

/**
 * The master's side of the pull protocol (bridges): claims are leases on md/qc jobs, kept by
 * heartbeats that carry scheduler id, state and progress, ended by complete or fail. The job
 * row follows every step through the state machine.
 */
@Injectable()
export class PullService {
  constructor(
    private readonly jobs: JobStore,
    private readonly lifecycle: RunLifecycle,
    private readonly broker: LeaseBroker,
    private readonly storage: Storage,
    private readonly urls: SignedUrls,
    @Inject(MasterConfig) private readonly config: MasterConfig,
    private readonly receipts: ClaimReceipts,
  ) {}

  async claim(token: WorkerToken, dto: ClaimDto, closed: () => boolean): Promise<ClaimResponse> {
    const denied = dto.queues.filter((q) => !token.queues.includes(q));
    if (denied.length > 0) throw new BadRequestException([`queues: this token may not take ${denied.join(', ')}`]);
    // a claim id asked again: its answer was lost on the way, so the same jobs, leased to the same token
    if (dto.claimId) {
      const again = await this.reclaim(token, dto.claimId);
      if (again.length > 0) return { jobs: again };
    }
    const leaseToken = dto.claimId ?? randomUUID();
    const waitMs = Math.min(dto.waitMs ?? this.config.CLAIM_WAIT_MS, this.config.CLAIM_WAIT_MS);
    const leased = await this.broker.claim([...new Set(dto.queues)], dto.max, leaseToken, waitMs, closed);
    const releaseAll = () => Promise.all(leased.map((j) => this.broker.release(j, leaseToken)));
    if (closed()) {
      await releaseAll();
      return { jobs: [] };
    }
    try {
      const jobs: ClaimedJob[] = [];
      for (const bull of leased) {
        const claimed = await this.dispatch(token, bull, leaseToken);
        if (claimed) jobs.push(claimed);
      }
      if (dto.claimId)
        await this.receipts.record(
          token.id,
          dto.claimId,
          jobs.map((j) => ({ queue: j.queue, jobId: j.jobId })),
        );
      return { jobs };
    } catch (err) {
      // no answer will reach the bridge (PostgreSQL away mid-claim, say): every job this claim leased goes
      // back to its queue now, not when its lease lapses (LEASE_MS later); one already DISPATCHED is taken
      // again as a lost run
      await releaseAll();
      throw err;
    }
  }

  /** The jobs a claim id already holds (lease still its own, job still out), described again. */
  private async reclaim(token: WorkerToken, claimId: string) {
    const jobs = [];
    for (const { queue, jobId } of await this.receipts.read(token.id, claimId)) {
      const bull = await this.broker.renew(queue, jobId, claimId).catch(() => null);
      if (!bull) continue; // lapsed, or ended: not this claim's any more
      const row = await this.jobs.get(jobId);
      if (row && [JobStatus.Dispatched, JobStatus.Running].includes(row.status))
        jobs.push(await this.describe(row, bull, claimId));
    }
    return jobs;
  }

  private async dispatch(token: WorkerToken, bull: BullJob, leaseToken: string) {
    const queue = bull.queueName as RunQueueName;
    const actor = `token:${token.name}`;
    const row = await this.jobs.get(bull.id!);
    if (!row || !OUT_FOR_RUN.includes(row.status)) {
      await this.broker.complete(queue, bull.id!, leaseToken, { skipped: row?.status ?? 'missing' });
      return null;
    }
    const lost = 'previous lease expired; back in the queue';
    if (!(await this.lifecycle.dispatch(row, actor, `leased by ${token.name}`, lost))) {
      if ((await this.jobs.status(row.id)) === JobStatus.Cancelled)
        await this.broker.complete(queue, bull.id!, leaseToken, { skipped: JobStatus.Cancelled }); // its owner is disabled
      else await bull.moveToDelayed(Date.now() + RUNNING_QUOTA_RETRY_MS, leaseToken); // its owner is at QUOTA_RUNNING_JOBS
      return null;
    }
    return this.describe(row, bull, leaseToken);
  }

  /** What a bridge needs to run a leased job: command, resources, inputs behind signed URLs. */
  private async describe(row: Job, bull: BullJob, leaseToken: string): Promise<ClaimedJob> {
    const queue = bull.queueName as RunQueueName;
    const { files: inputs, manifest } = await this.lifecycle.inputs(row.id);
    return {
      jobId: row.id,
      queue,
      leaseToken,
      leaseMs: this.config.LEASE_MS,
      attempt: bull.attemptsMade + 1,
      schedulerId: row.schedulerId,
      engine: row.engine,
      resources: row.spec.resources,
      command: manifest?.command ?? null,
      /** The engine reads a script the user uploaded: a cluster without a sandbox refuses it. */
      userScript: Boolean(manifest?.userScript || (row.spec.md && 'script' in row.spec.md)),
      inputs: inputs.map((a) => ({
        name: a.name,
        size: Number(a.size),
        sha256: a.sha256,
        url: this.urls.sign('GET', a.storageKey),
      })),
    };
  }

  /** The job's row, if the token's queues cover it (else 404: a bridge sees only its queues). */
  private async scoped(
    token: WorkerToken,
    jobId: string,
    columns?: (keyof Job)[],
  ): Promise<{ row: Job; queue: RunQueueName }> {
    const row = await this.jobs.get(jobId, columns);
    const queue = row ? (runQueueFor(row.type) as RunQueueName) : null;
    if (!row || !queue || !token.queues.includes(queue)) throw new NotFoundException('id: no such job for this token');
    return { row, queue };
  }

  /** Renews the lease on whichever of the token's queues holds it; else 404 (not the token's job) or 409 (lease lost). */
  private async renewHeld(token: WorkerToken, jobId: string, leaseToken: string): Promise<BullJob> {
    for (const queue of RUN_QUEUES.filter((q) => token.queues.includes(q))) {
      const bull = await this.broker.renew(queue, jobId, leaseToken).catch((err) => {
        if (err instanceof LeaseLostError) return null;
        throw err;
      });
      if (bull) return bull;
    }
    const { queue } = await this.scoped(token, jobId, ['id', 'type']);
    return this.holding(() => this.broker.renew(queue, jobId, leaseToken));
  }

  private async holding<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof LeaseLostError) throw new ConflictException(`leaseToken: ${err.message}`);
      throw err;
    }
  }

  async heartbeat(token: WorkerToken, jobId: string, dto: HeartbeatDto): Promise<HeartbeatResponse> {
    // the lease first, from Redis alone: PostgreSQL away for longer than LEASE_MS must not make leases lapse
    const bull = await this.renewHeld(token, jobId, dto.leaseToken);
    const { row } = await this.scoped(token, jobId, ['id', 'type', 'status', 'schedulerId', 'progress']);
    if (dto.schedulerState && slurmPhase(dto.schedulerState) === 'running' && row.status === JobStatus.Dispatched)
      await this.lifecycle.started(jobId, `token:${token.name}`, `scheduler says ${dto.schedulerState}`);
    // only what changed: a bridge heartbeats every job it holds
    const newSchedulerId = dto.schedulerId && dto.schedulerId !== row.schedulerId ? dto.schedulerId : null;
    const newProgress = dto.progress !== undefined && dto.progress !== row.progress ? dto.progress : null;
    if (newSchedulerId !== null || newProgress !== null)
      await this.lifecycle.progress(jobId, newProgress, newSchedulerId);
    if (newProgress !== null) await bull.updateProgress(Math.round(newProgress * 100));
    return { cancel: row.status === JobStatus.Cancelled, leaseMs: this.config.LEASE_MS };
  }

  async uploadUrls(token: WorkerToken, jobId: string, dto: UploadUrlsDto): Promise<UploadUrlsResponse> {
    const { queue } = await this.scoped(token, jobId);
    await this.holding(() => this.broker.renew(queue, jobId, dto.leaseToken));
    return { urls: dto.names.map((name) => ({ name, url: this.urls.sign('PUT', jobKeys.staging(jobId, name)) })) };
  }

  async complete(token: WorkerToken, jobId: string, dto: CompleteDto): Promise<LeaseEndResponse> {
    const { row, queue } = await this.scoped(token, jobId);
    await this.holding(() => this.broker.renew(queue, jobId, dto.leaseToken));
    for (const f of dto.files) {
      const head = await this.storage.head(jobKeys.staging(jobId, f.name));
      if (!head) throw new BadRequestException([`files.${f.name}: not uploaded`]);
      if (head.size !== f.size)
        throw new BadRequestException([`files.${f.name}: ${head.size} bytes uploaded, manifest says ${f.size}`]);
    }
    const step = await this.lifecycle.ended(row, runCompleted(dto.files), `token:${token.name}`, {
      attemptsLeft: false,
    });
    return this.endLease(queue, jobId, dto.leaseToken, step, { files: dto.files.length });
  }

  async fail(token: WorkerToken, jobId: string, dto: FailDto): Promise<LeaseEndResponse> {
    const { row, queue } = await this.scoped(token, jobId);
    const bull = await this.holding(() => this.broker.renew(queue, jobId, dto.leaseToken));
    const attemptsLeft = bull.attemptsMade + 1 < (bull.opts.attempts ?? 1);
    const outcome = runFailed(dto.message, dto.retryable);
    const step = await this.lifecycle.ended(row, outcome, `token:${token.name}`, { attemptsLeft });
    return this.endLease(queue, jobId, dto.leaseToken, step, { message: dto.message });
  }

  /** The lease's entry after the lifecycle has moved the job: completed, failed (retried or not), as the step says. */
  private async endLease(
    queue: RunQueueName,
    jobId: string,
    leaseToken: string,
    step: RunStep,
    result: { files?: number; message?: string },
  ): Promise<LeaseEndResponse> {
    if (step === 'retry' || step === 'failed') {
      const retry = step === 'retry';
      await this.holding(() => this.broker.fail(queue, jobId, leaseToken, result.message ?? 'failed', retry));
      return { status: retry ? JobStatus.Queued : JobStatus.Failed };
    }
    // cancelled by its owner meanwhile: the entry completes as a pool's cancelled run does (Bull Board's COMPLETED)
    const status =
      step === 'uploading' ? JobStatus.Uploading : ((await this.jobs.status(jobId)) ?? JobStatus.Cancelled);
    const done =
      step === 'uploading'
        ? { files: result.files }
        : status === JobStatus.Cancelled
          ? { cancelled: true }
          : { skipped: status };
    await this.holding(() => this.broker.complete(queue, jobId, leaseToken, done));
    return { status };
  }

  async pending(token: WorkerToken, jobType: string | undefined, limit: number) {
    const wanted = jobType ? [jobType.toLowerCase()] : RUN_QUEUES.filter((q) => token.queues.includes(q));
    const types = wanted.filter((t) => token.queues.includes(t));
    const rows: Job[] = types.length === 0 ? [] : await this.jobs.queuedOfTypes(types as Job['type'][], limit);
    return {
      jobs: rows.map((r) => ({
        jobId: r.id,
        jobType: r.type.toUpperCase(),
        engine: r.engine,
        priority: r.priority,
        createdAt: r.createdAt,
      })),
    };
  }
}
