import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { DeckManifest } from '../../src/rendering/deck';
import type { ClaimedJob } from '../../src/pull/pull-contract';

/** What the bridge remembers of a job on Slurm. */
export interface ActiveJob {
  jobId: string;
  leaseToken: string;
  schedulerId: string;
  engine: DeckManifest['engine'];
  totalSteps: number;
}

/** The state file's shape. */
interface SavedState {
  active: ActiveJob[];
  claimed: ClaimedJob[];
  claimId?: string;
}

/**
 * What a bridge holds, kept in its state file so a restarted bridge knows its jobs: the jobs on
 * Slurm, the jobs leased whose launch had not finished (written down before anything else, so a
 * bridge killed mid-launch launches them again, re-attaching by name, instead of leaving them until
 * their lease lapses), and the id of the claim in flight (kept until its answer has arrived: asked
 * again after a lost answer, the master hands back the same jobs).
 */
export class BridgeState {
  readonly active = new Map<string, ActiveJob>();
  readonly claimed = new Map<string, ClaimedJob>();
  claimId: string = randomUUID();
  private persisting: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  /** How many jobs it holds, launched or not. */
  get held(): number {
    return this.active.size + this.claimed.size;
  }

  /** Jobs a claim handed out, written down before anything else; the next claim is a new one. */
  async claimedNow(jobs: ClaimedJob[]): Promise<void> {
    if (jobs.length === 0) return;
    for (const job of jobs) this.claimed.set(job.jobId, job);
    this.claimId = randomUUID();
    await this.save();
  }

  /** A claimed job is on Slurm now. */
  async launched(job: ActiveJob): Promise<void> {
    this.active.set(job.jobId, job);
    this.claimed.delete(job.jobId);
    await this.save();
  }

  /** A job no longer held (ended, failed to launch, or its lease lost); with a lease token, only if it still holds that lease (a lapsed lease may have been claimed again). */
  async released(jobId: string, leaseToken?: string): Promise<void> {
    if (!leaseToken || this.active.get(jobId)?.leaseToken === leaseToken) this.active.delete(jobId);
    this.claimed.delete(jobId);
    await this.save();
  }

  /** Writes the state file (one write at a time, each replacing the file whole, readable by the bridge's account only). */
  save(): Promise<void> {
    const write = async () => {
      const temp = `${this.file}.tmp`;
      const state: SavedState = {
        active: [...this.active.values()],
        claimed: [...this.claimed.values()],
        claimId: this.claimId,
      };
      await writeFile(temp, JSON.stringify(state, null, 2), { mode: 0o600 });
      await rename(temp, this.file);
    };
    this.persisting = this.persisting.then(write, write);
    return this.persisting;
  }

  /** Reads the state file back (none: nothing held); a bare array is the state file of an older bridge. */
  async load(): Promise<void> {
    const saved = JSON.parse(await readFile(this.file, 'utf8').catch(() => '[]')) as SavedState | ActiveJob[];
    const state: SavedState = Array.isArray(saved) ? { active: saved, claimed: [] } : saved;
    for (const job of state.active) this.active.set(job.jobId, job);
    for (const job of state.claimed ?? []) if (!this.active.has(job.jobId)) this.claimed.set(job.jobId, job);
    if (state.claimId) this.claimId = state.claimId;
  }
}
