import { slurmEnding } from '../../src/slurm/slurm-ending';
import { slurmPhase } from '../../src/slurm/slurm-states';
import { ClusterRefusedError } from '../../src/slurm/sbatch-script';
import type { SlurmDriver, SlurmPoll } from '../../src/slurm/slurm-driver';
import { withTimeout } from '../../src/common/with-timeout';
import type { RunQueueName } from '../../queues/queue-name';
import type { ClaimedJob } from '../../src/pull/pull-contract';
import { BridgeState, type ActiveJob } from './bridge-state';
import { EngineReport } from './engine-report';
import type { MasterClient } from './master-client';
import { PullClient, leaseLost } from './pull-client';
import { stageIn, stageOut } from './staging';

export interface BridgeOptions {
  queues: RunQueueName[];
  maxJobs: number;
  heartbeatMs: number;
  claimWaitMs: number;
  stateFile: string;
}

/** A poll that takes longer has lost its SSH connection without noticing: give up on it (leases are renewed regardless). */
const POLL_TIMEOUT_MS = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The campus bridge: claims jobs from the master (long-poll), stages and submits them to Slurm,
 * renews its leases with the jobs' Slurm state and progress, turns a user's cancel into
 * scancel, and when a job ends uploads its files through signed URLs and completes the lease. It
 * reports what its cluster can run (EngineReport), so the master refuses or holds jobs it cannot.
 * It talks to the master over HTTPS and to the cluster over SSH, nothing else.
 */
export class Bridge {
  private readonly state: BridgeState;
  private readonly pull: PullClient;
  private readonly engines: EngineReport;
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
    this.state = new BridgeState(options.stateFile);
    this.engines = new EngineReport(this.pull, slurm, options.queues, log);
  }

  async start(): Promise<void> {
    await this.state.load();
    const { active, claimed, held } = this.state;
    if (held > 0)
      this.log(`bridge: resumed ${active.size} job(s) on Slurm and ${claimed.size} claimed, not yet launched`);
    await this.state.save(); // the first claim's id is on disk before it is sent
    this.running = true;
    this.loops = [this.claimLoop(), this.heartbeatLoop(), this.engines.loop(() => this.running)];
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.allSettled(this.loops);
    await this.state.save();
  }

  private note(err: unknown, what: string): void {
    const line = `${what}: ${err instanceof Error ? err.message : String(err)}`;
    this.errors.push(line);
    this.log(`bridge: ${line}`);
  }

  private async claimLoop(): Promise<void> {
    for (const job of [...this.state.claimed.values()]) await this.launch(job).catch((err) => this.failClaim(job, err));
    while (this.running) {
      const room = this.options.maxJobs - this.state.held;
      if (room <= 0) {
        await sleep(200);
        continue;
      }
      try {
        const { jobs } = await this.pull.claim({
          queues: this.options.queues,
          max: Math.min(room, 20), // the claim API hands out at most 20 leases per call
          waitMs: this.options.claimWaitMs,
          claimId: this.state.claimId,
        });
        await this.state.claimedNow(jobs); // answered: the next claim is a new one
        for (const job of jobs) await this.launch(job).catch((err) => this.failClaim(job, err));
      } catch (err) {
        this.note(err, 'claim');
        await sleep(1_000 + Math.random() * 1_000);
      }
    }
  }

  /** Only a failure before Slurm has the job fails its claim; after, it is held whatever follows (else it would run twice). */
  private async launch(job: ClaimedJob): Promise<void> {
    const { active, reattached } = await stageIn(job, this.master, this.slurm);
    await this.state.launched(active).catch((err) => this.note(err, 'state file'));
    const how = reattached ? 're-attached to' : 'submitted as';
    this.log(`bridge: job ${job.jobId} ${how} Slurm job ${active.schedulerId}`);
    await this.pull
      .heartbeat(job.jobId, {
        leaseToken: job.leaseToken,
        schedulerId: this.slurm.qualify(active.schedulerId),
        schedulerState: 'PENDING',
      })
      .catch((err) => this.note(err, `job ${job.jobId}: first heartbeat (the next poll renews it)`));
  }

  private async failClaim(job: ClaimedJob, err: unknown): Promise<void> {
    this.note(err, `job ${job.jobId}`);
    await this.state.released(job.jobId).catch((e) => this.note(e, 'state file'));
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
    const jobs = [...this.state.active.values()];
    if (jobs.length === 0) return;
    let states: SlurmPoll;
    try {
      states = await withTimeout(this.slurm.poll(jobs.map((j) => j.schedulerId)), POLL_TIMEOUT_MS, 'squeue over SSH');
    } catch (err) {
      // the cluster is out of reach (sshd restarting, a network cut), not the jobs: the bridge still holds
      // them, so their leases are renewed while it comes back (a lapsed lease would run them twice)
      for (const job of jobs) await this.renew(job);
      throw err;
    }
    // a listing row that could not be read: its job keeps its lease (a heartbeat without news below) and
    // is looked at again on the next poll; it is neither failed nor lost
    for (const { listing, schedulerId, error } of states.skipped ?? [])
      this.log(`bridge: ${listing} row skipped${schedulerId ? ` (Slurm job ${schedulerId})` : ''}: ${error.message}`);
    for (const job of jobs) {
      const status = states.get(job.schedulerId);
      try {
        const ending = status && (await slurmEnding(this.slurm, job.jobId, status));
        if (!ending) await this.heartbeat(job, status?.state);
        else if (ending === 'completed') await this.finish(job);
        else await this.end(job, ending.reason, ending.retryable);
      } catch (err) {
        if (leaseLost(err)) await this.drop(job);
        else {
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
      if (leaseLost(err)) await this.drop(job);
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
    await this.state.released(job.jobId, job.leaseToken); // only the lease that failed
  }

  private async heartbeat(job: ActiveJob, state: string | undefined): Promise<void> {
    const progress =
      state && slurmPhase(state) === 'running'
        ? await this.slurm.progress(job.jobId, job.engine, job.totalSteps)
        : null;
    const reply = await this.pull.heartbeat(job.jobId, {
      leaseToken: job.leaseToken,
      schedulerId: this.slurm.qualify(job.schedulerId),
      ...(state ? { schedulerState: state } : {}),
      ...(progress != null ? { progress } : {}),
    });
    if (reply.cancel) {
      await this.slurm.cancel(job.schedulerId);
      await this.end(job, 'cancelled by the user: scancel sent', false);
    }
  }

  private async finish(job: ActiveJob): Promise<void> {
    const count = await stageOut(job, this.master, this.pull, this.slurm);
    this.log(`bridge: job ${job.jobId} done, ${count} file(s) uploaded`);
    await this.state.released(job.jobId);
  }

  private async end(job: ActiveJob, message: string, retryable: boolean): Promise<void> {
    await this.pull.fail(job.jobId, {
      leaseToken: job.leaseToken,
      message: message.slice(0, 1_900),
      retryable,
    });
    await this.state.released(job.jobId);
  }
}
