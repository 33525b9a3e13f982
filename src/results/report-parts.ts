import type { Plot } from './plots';

/** Reads an output file by name (null when the run did not produce it). */
export type ReadOutput = (name: string) => Promise<string | null>;

/** What an engine's report part gives: its plots and the version its banner names. */
export interface EnginePart {
  plots: Plot[];
  version: string | null;
}
