import type { DeckManifest, EngineCommand } from '../rendering/deck';

/**
 * Progress from an engine's own output, as a fraction 0..1 (never 1 before the run ends).
 * LAMMPS: last thermo step over the steps of every `run N` in the inputs.
 * xtb/Gaussian optimisations: optimisation cycles, 1 − 0.8^cycles (no total is known ahead).
 */
export function lammpsTotalSteps(script: string): number {
  let total = 0;
  for (const line of script.split(/\r?\n/)) {
    const m = /^\s*run\s+(\d+)/.exec(line.replace(/#.*/, ''));
    if (m) total += Number(m[1]);
  }
  return total;
}

export function lammpsProgress(logTail: string, totalSteps: number): number | null {
  if (totalSteps <= 0) return null;
  let last: number | null = null;
  for (const line of logTail.split('\n')) {
    const m = /^\s*(\d+)\s+[-+]?\d/.exec(line);
    if (m) last = Number(m[1]);
  }
  return last === null ? null : Math.min(0.99, last / totalSteps);
}

export function optimisationProgress(output: string): number | null {
  const cycles = (output.match(/CYCLE\s+\d+|Step number\s+\d+ out of/g) ?? []).length;
  return cycles === 0 ? null : Math.min(0.99, 1 - 0.8 ** cycles);
}

/** The file whose tail tells an engine's progress. */
export const progressLogOf = (engine: DeckManifest['engine']): string =>
  engine === 'lammps' ? 'log.lammps' : 'stdout.log';

/** Progress from the tail of the engine's progress log (see progressLogOf). */
export function engineProgress(engine: DeckManifest['engine'], logTail: string, totalSteps: number): number | null {
  return engine === 'lammps' ? lammpsProgress(logTail, totalSteps) : optimisationProgress(logTail);
}

/** The LAMMPS input script named by `-in`, if the command has one. */
export function lammpsScriptOf(command: EngineCommand): string | undefined {
  const at = command.args.indexOf('-in');
  return at >= 0 ? command.args[at + 1] : undefined;
}

/** The LAMMPS steps a run will take, from its command and input files as submitted (0: not LAMMPS, or no `run`). */
export function totalStepsOf(command: EngineCommand, inputs: { name: string; content: Buffer }[]): number {
  const script = inputs.find((i) => i.name === lammpsScriptOf(command));
  return script ? lammpsTotalSteps(script.content.toString('utf8')) : 0;
}
