import { QueueName, type RunQueueName } from '../../queues/queue-name';
import type { Engine } from '../jobs/job-status';
import type { EngineCommand } from '../rendering/deck';

/** One engine a pool or bridge can run, with the version it would run now (null: it prints none before a run). */
export interface EngineOffer {
  engine: Engine;
  version: string | null;
}

/** The program of each engine, the queue its jobs run on, and its name as users read it. */
export const ENGINE_PROGRAM: Readonly<Record<Engine, EngineCommand['program']>> = {
  lammps: 'lmp',
  xtb: 'xtb',
  gaussian: 'g16',
};
export const ENGINE_QUEUE: Readonly<Record<Engine, RunQueueName>> = {
  lammps: QueueName.Md,
  xtb: QueueName.Qc,
  gaussian: QueueName.Qc,
};
export const ENGINE_TITLE: Readonly<Record<Engine, string>> = { lammps: 'LAMMPS', xtb: 'xtb', gaussian: 'Gaussian' };

/**
 * The cheapest command of each engine that prints its version (LAMMPS's help still starts MPI); g16
 * has none: a g16 found is offered with an unknown version.
 */
export const VERSION_ARGS: Readonly<Record<Engine, string[] | null>> = {
  lammps: ['-h'],
  xtb: ['--version'],
  gaussian: null,
};

/**
 * The version an engine printed for VERSION_ARGS, written as its jobs show it (the report's
 * engineVersion): "LAMMPS (29 Sep 2021 - Update 2)", "xtb 6.5.1"; null when none is recognised.
 */
export function engineVersionOf(engine: Engine, output: string): string | null {
  if (engine === 'lammps') {
    const m = /Massively Parallel Simulator - (.+?)\s*$/m.exec(output) ?? /^LAMMPS \((.+)\)\s*$/m.exec(output);
    return m ? `LAMMPS (${m[1]})` : null;
  }
  if (engine === 'xtb') {
    const m = /\*\s+xtb version\s+(\S+)/.exec(output);
    return m ? `xtb ${m[1]}` : null;
  }
  return null;
}

/** The engines whose jobs run on these queues. */
export function enginesOfQueues(queues: readonly string[]): Engine[] {
  return (Object.keys(ENGINE_QUEUE) as Engine[]).filter((e) => queues.includes(ENGINE_QUEUE[e]));
}
