import { createHash, randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { totalStepsOf } from '../../src/executor/progress';
import { slurmEnding } from '../../src/slurm/slurm-ending';
import type { DeckManifest } from '../../src/rendering/deck';
import { ClusterRefusedError } from '../../src/slurm/sbatch-script';
import type { SlurmDriver, SlurmJobStatus } from '../../src/slurm/slurm-driver';
import { withTimeout } from '../../src/common/with-timeout';
import type { RunQueueName } from '../../queues/queue-name';
import type { ClaimedJob } from '../../src/pull/pull-contract';
import { MasterHttpError, type MasterClient } from './master-client';
import { PullClient } from './pull-client';

/** What the bridge remembers per job (also in its state file, so a restart knows its jobs). */
interface ActiveJob {
  jobId: string;
  leaseToken: string;
  schedulerId: string;
  engine: DeckManifest['engine'];
  totalSteps: number;
}

/** The state file: jobs on Slurm, and jobs leased whose launch had not finished. */
interface BridgeState {
  active: ActiveJob[];
  claimed: ClaimedJob[];
  /** The claim whose answer may not have arrived (asked again first after a restart). */
  claimId?: string;
}

export interface BridgeOptions {
  queues: RunQueueName[];
  maxJobs: number;
  heartbeatMs: number;
  claimWaitMs: number;
  stateFile: string;
}

/** A poll that takes longer has lost its SSH connection without noticing: give up on it (leases are renewed regardless). */
const POLL_TIMEOUT_MS = 60_000;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The campus bridge: claims jobs from the master (long-poll), stages and submits them to Slurm,
 * renews its leases with the jobs' Slurm state and progress, turns a user's cancel into
 * scancel, and when a job ends uploads its files through signed URLs and completes the lease.
 * It talks to the master over HTTPS and to the cluster over SSH, nothing else.
 */
export class Bridge {
  private readonly active = new Map<string, ActiveJob>();
  /** Leased but not yet on Slurm: written down before anything else, so a bridge killed mid-launch launches them again (re-attaching by name) instead of leaving them until their lease lapses. */
  private readonly claimed = new Map<string, ClaimedJob>();
  private persisting: Promise<void> = Promise.resolve();
  /** The id of the claim in flight, kept (and saved) until its answer has arrived: asked again after a lost answer, the master hands back the same jobs. */
  private claimId: string = randomUUID();
  private running = false;
  private loops: Promise<void>[] = [];
  /** Errors seen by the loops (logged; the loops carry on). */
  readonly errors: string[] = [];

  constructor(
    private readonly master: MasterClient,
    private readonly slurm: SlurmDriver,
    private readonly options: BridgeOptions,
    private readonly log: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {
    this.pull = new PullClient(master);
  }

  private readonly pull: PullClient;

  async start(): Promise<void> {
    await this.restore();
    await this.persist(); // the first claim's id is on disk before it is sent
    this.running = true;
    this.loops = [this.claimLoop(), this.heartbeatLoop()];
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.allSettled(this.loops);
    await this.persist();
  }

  private note(err: unknown, what: string): void {
    const line = `${what}: ${err instanceof Error ? err.message : String(err)}`;
    this.errors.push(line);
    this.log(`bridge: ${line}`);
  }

  private async claimLoop(): Promise<void> {
    for (const job of [...this.claimed.values()]) await this.launch(job).catch((err) => this.failClaim(job, err));
    while (this.running) {
      const room = this.options.maxJobs - this.active.size - this.claimed.size;
      if (room <= 0) {
        await sleep(200);
        continue;
      }
      try {
        const { jobs } = await this.pull.claim({
          queues: this.options.queues,
          max: Math.min(room, 20), // the claim API hands out at most 20 leases per call
          waitMs: this.options.claimWaitMs,
          claimId: this.claimId,
        });
        for (const job of jobs) this.claimed.set(job.jobId, job);
        if (jobs.length > 0) {
          this.claimId = randomUUID(); // answered: the next claim is a new one
          await this.persist();
        }
        for (const job of jobs) await this.launch(job).catch((err) => this.failClaim(job, err));
      } catch (err) {
        this.note(err, 'claim');
        await sleep(1_000 + Math.random() * 1_000);
      }
    }
  }

  private async launch(job: ClaimedJob): Promise<void> {
    const command = job.command;
    // a job whose rendered manifest the master could not read: nothing to run (the lease ends retryable)
    if (!command) throw new Error('the master sent no command for this job (its job.json is missing)');
    const manifest: DeckManifest = {
      jobId: job.jobId,
      engine: job.engine,
      command,
      inputs: job.inputs.map((i) => i.name),
      resources: job.resources,
      userScript: job.userScript,
    };
    const inputs = [];
    for (const input of job.inputs) {
      const content = await this.master.download(input.url);
      if (sha256(content) !== input.sha256) throw new Error(`input ${input.name}: sha256 mismatch after download`);
      inputs.push({ name: input.name, content });
    }
    // this cluster's scheduler id from the master (a re-claimed job) or the job name: re-attach, never
    // sbatch twice; an id of another executor or cluster (a local pid, say) is not a job here
    const own = this.slurm.ownSlurmId(job.schedulerId);
    const { schedulerId, reattached } = own
      ? { schedulerId: own, reattached: true }
      : await this.slurm.submit(
          manifest,
          inputs.filter((i) => i.name !== 'job.json'),
        );
    this.active.set(job.jobId, {
      jobId: job.jobId,
      leaseToken: job.leaseToken,
      schedulerId,
      engine: job.engine,
      totalSteps: totalStepsOf(command, inputs),
    });
    this.claimed.delete(job.jobId);
    await this.persist();
    this.log(`bridge: job ${job.jobId} ${reattached ? 're-attached to' : 'submitted as'} Slurm job ${schedulerId}`);
    await this.pull.heartbeat(job.jobId, {
      leaseToken: job.leaseToken,
      schedulerId: this.slurm.qualify(schedulerId),
      schedulerState: 'PENDING',
    });
  }

  private async failClaim(job: ClaimedJob, err: unknown): Promise<void> {
    this.note(err, `job ${job.jobId}`);
    this.claimed.delete(job.jobId);
    await this.persist().catch((e) => this.note(e, 'state file'));
    await this.pull
      .fail(job.jobId, {
        leaseToken: job.leaseToken,
        message: `bridge could not start it: ${(err as Error).message}`.slice(0, 1_900),
        retryable: !(err instanceof ClusterRefusedError),
      })
      .catch((e) => this.note(e, `fail ${job.jobId}`));
  }

  private async heartbeatLoop(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      try {
        await this.cycle();
      } catch (err) {
        this.note(err, 'poll');
      }
      await sleep(Math.max(100, this.options.heartbeatMs - (Date.now() - started)));
    }
  }

  /** One poll: one squeue for every active job, then one heartbeat (or the end) per job. */
  async cycle(): Promise<void> {
    const jobs = [...this.active.values()];
    if (jobs.length === 0) return;
    let states: Map<string, SlurmJobStatus>;
    try {
      states = await withTimeout(this.slurm.poll(jobs.map((j) => j.schedulerId)), POLL_TIMEOUT_MS, 'squeue over SSH');
    } catch (err) {
      // the cluster is out of reach (sshd restarting, a network cut), not the jobs: the bridge still holds
      // them, so their leases are renewed while it comes back (a lapsed lease would run them twice)
      for (const job of jobs) await this.renew(job);
      throw err;
    }
    for (const job of jobs) {
      const status = states.get(job.schedulerId);
      try {
        if (!status) {
          await this.heartbeat(job, undefined);
          continue;
        }
        const ending = await slurmEnding(this.slurm, job.jobId, status);
        if (!ending) await this.heartbeat(job, status.state);
        else if (ending.kind === 'completed') await this.finish(job);
        else await this.end(job, ending.message, ending.retryable);
      } catch (err) {
        if (err instanceof MasterHttpError && (err.status === 409 || err.status === 404)) {
          await this.drop(job);
        } else {
          this.note(err, `job ${job.jobId}`);
          await this.renew(job); // it could not be finished or reported this time; it is still ours
        }
      }
    }
  }

  /** A heartbeat without news from Slurm: only keeps the lease (its loss is handled as in cycle). */
  private async renew(job: ActiveJob): Promise<void> {
    try {
      await this.pull.heartbeat(job.jobId, {
        leaseToken: job.leaseToken,
        schedulerId: this.slurm.qualify(job.schedulerId),
      });
    } catch (err) {
      if (err instanceof MasterHttpError && (err.status === 409 || err.status === 404)) await this.drop(job);
      else this.note(err, `renew ${job.jobId}`);
    }
  }

  /**
   * The master no longer holds this lease. The Slurm job is left running on purpose: the job's entry
   * comes back (stall, reconciler) with its scheduler id, and a claim by a bridge of this cluster
   * re-attaches to it. Cancelling it here failed jobs after Redis restarted empty (fault suite:
   * "Slurm job 114 was cancelled" for jobs that had been re-attached).
   */
  private async drop(job: ActiveJob): Promise<void> {
    this.log(`bridge: lease on ${job.jobId} no longer held; dropping it`);
    // a lease that lapsed may have been claimed again already: drop only the lease that failed
    if (this.active.get(job.jobId)?.leaseToken === job.leaseToken) this.active.delete(job.jobId);
    await this.persist();
  }

  private async heartbeat(job: ActiveJob, state: string | undefined): Promise<void> {
    const progress =
      state === 'RUNNING'
        ? ((await this.slurm.progress(job.jobId, job.engine, job.totalSteps)) ?? undefined)
        : undefined;
    const reply = await this.pull.heartbeat(job.jobId, {
      leaseToken: job.leaseToken,
      schedulerId: this.slurm.qualify(job.schedulerId),
      ...(state ? { schedulerState: state } : {}),
      ...(progress !== undefined ? { progress } : {}),
    });
    if (reply.cancel) {
      await this.slurm.cancel(job.schedulerId);
      await this.end(job, 'cancelled by the user: scancel sent', false);
    }
  }

  private async finish(job: ActiveJob): Promise<void> {
    const names = await this.slurm.outputNames(job.jobId);
    const files = [];
    const { urls } = await this.pull.uploadUrls(job.jobId, { leaseToken: job.leaseToken, names });
    for (const { name, url } of urls) {
      const content = await this.slurm.readOutput(job.jobId, name);
      await this.master.upload(url, content);
      files.push({ name, size: content.length, sha256: sha256(content) });
    }
    await this.pull.complete(job.jobId, { leaseToken: job.leaseToken, files });
    this.log(`bridge: job ${job.jobId} done, ${files.length} file(s) uploaded`);
    this.active.delete(job.jobId);
    await this.persist();
  }

  private async end(job: ActiveJob, message: string, retryable: boolean): Promise<void> {
    await this.pull.fail(job.jobId, {
      leaseToken: job.leaseToken,
      message: message.slice(0, 1_900),
      retryable,
    });
    this.active.delete(job.jobId);
    await this.persist();
  }

  /** Writes the state file (one write at a time, each replacing the file whole). */
  private persist(): Promise<void> {
    const write = async () => {
      const temp = `${this.options.stateFile}.tmp`;
      const state: BridgeState = {
        active: [...this.active.values()],
        claimed: [...this.claimed.values()],
        claimId: this.claimId,
      };
      await writeFile(temp, JSON.stringify(state, null, 2), { mode: 0o600 });
      await rename(temp, this.options.stateFile);
    };
    this.persisting = this.persisting.then(write, write);
    return this.persisting;
  }

  private async restore(): Promise<void> {
    const saved = JSON.parse(await readFile(this.options.stateFile, 'utf8').catch(() => '[]')) as
      BridgeState | ActiveJob[];
    const state: BridgeState = Array.isArray(saved) ? { active: saved, claimed: [] } : saved; // an array: the state file of an older bridge
    for (const job of state.active) this.active.set(job.jobId, job);
    for (const job of state.claimed ?? []) if (!this.active.has(job.jobId)) this.claimed.set(job.jobId, job);
    if (state.claimId) this.claimId = state.claimId;
    if (this.active.size + this.claimed.size > 0) {
      this.log(
        `bridge: resumed ${this.active.size} job(s) on Slurm and ${this.claimed.size} claimed but not yet launched from ${this.options.stateFile}`,
      );
    }
  }
}
