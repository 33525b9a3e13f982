import type { DeckManifest } from '../rendering/deck';

export type RunState = 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TIMEOUT';

export interface ProducedFile {
  name: string;
  size: number;
  sha256: string;
}

export interface RunResult {
  state: RunState;
  exitCode: number | null;
  /** Human-readable reason for anything but COMPLETED, naming the engine or the limit. */
  message: string | null;
  /** Every file in the working directory after the run (inputs included), with size and sha256. */
  files: ProducedFile[];
}

export interface RunOptions {
  /** Aborting cancels the run: the engine's whole process group is killed. */
  signal: AbortSignal;
  /** Called with a fraction 0..1 whenever the engine's log says it moved on. */
  onProgress: (fraction: number) => void;
  /** Scheduler id (the local driver reports its process id). */
  onStarted?: (schedulerId: string) => void;
}

/** Runs a rendered job in a working directory that already holds its inputs. */
export interface Executor {
  run(manifest: DeckManifest, workdir: string, options: RunOptions): Promise<RunResult>;
}
