import type { EngineOffer } from '../engines/engine-offers';
import type { Engine } from '../jobs/job-status';
import type { DeckManifest } from '../rendering/deck';
import type { RunOutcome } from './run-outcome';

export interface ProducedFile {
  name: string;
  size: number;
  sha256: string;
}

/** The abort reason of a user's cancel; any other reason (a pool shutting down) only lets go of the run. */
export const CANCELLED_BY_USER = 'cancelled by user';

export interface RunOptions {
  /**
   * Aborting stops waiting for the run. Local engines are killed whatever the reason; a Slurm job
   * is scancelled only for CANCELLED_BY_USER (otherwise it keeps running and a re-run re-attaches).
   */
  signal: AbortSignal;
  /** Called with a fraction 0..1 whenever the engine's log says it moved on. */
  onProgress: (fraction: number) => void;
  /** The engine started: its qualified scheduler id (`local:<host>:<pid>`, `slurm:<cluster>:<id>`) and how to say so, e.g. "pid 42". */
  onStarted?: (schedulerId: string, description: string) => void;
}

/** Runs a rendered job in a working directory that already holds its inputs. */
export interface Executor {
  /** "local", "slurm": said in the job's timeline. */
  readonly name: string;
  run(manifest: DeckManifest, workdir: string, options: RunOptions): Promise<RunOutcome>;
  /**
   * Whether the run a job's scheduler id names is still going (its queue entry was lost, not the
   * run: Redis restarted empty). Executors that cannot tell leave it out.
   */
  stillRunning?(schedulerId: string | null, workdir: string): Promise<boolean>;
  /** The engines this executor can run now, with their versions (published in the engine registry). */
  engines(): EngineOffer[];
  /**
   * Whether it takes jobs of this engine: found when the pool started. A job of another engine is
   * handed back for a pool that runs it; one whose binary vanished since fails, saying so.
   */
  takes(engine: Engine): boolean;
}
