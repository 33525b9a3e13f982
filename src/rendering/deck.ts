import type { Engine } from '../jobs/job-status';
import type { ResourcesSpec } from '../jobs/job-spec';

export interface DeckFile {
  name: string;
  content: Buffer;
  contentType: string;
}

/** How to run the engine: a symbolic program (mapped to a binary by the executor) and its argv. No shell. */
export interface EngineCommand {
  program: 'lmp' | 'g16' | 'xtb';
  args: string[];
}

/** Everything an executor needs, written as the input artifact job.json. */
export interface DeckManifest {
  jobId: string;
  engine: Engine;
  command: EngineCommand;
  /** Names of every input file the run directory must hold. */
  inputs: string[];
  resources: ResourcesSpec;
  /** The engine reads a script the user uploaded: runs only where a sandbox confines it. */
  userScript?: boolean;
}

export interface Deck {
  /** Files rendered from the spec (uploaded files are referenced in manifest.inputs only). */
  files: DeckFile[];
  manifest: DeckManifest;
}

/** A spec that cannot be rendered: the job fails permanently with this message. */
export class RenderError extends Error {}

export const TEXT = 'text/plain; charset=utf-8';
