import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Engine } from '../jobs/job-status';
import type { EngineCommand } from '../rendering/deck';
import {
  ENGINE_PROGRAM,
  ENGINE_TITLE,
  engineVersionOf,
  VERSION_ARGS,
  type EngineOffer,
} from '../engines/engine-offers';

export type EngineBinaries = Record<EngineCommand['program'], string>;

const ENGINE_OF: Record<EngineCommand['program'], Engine> = { lmp: 'lammps', xtb: 'xtb', g16: 'gaussian' };
const VARIABLE_OF: Record<EngineCommand['program'], string> = { lmp: 'LMP_BIN', xtb: 'XTB_BIN', g16: 'G16_BIN' };

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute paths a configured program name or path stands for, in PATH order. */
export function candidatePaths(configured: string, path = process.env.PATH ?? ''): string[] {
  return configured.includes('/')
    ? [isAbsolute(configured) ? configured : join(process.cwd(), configured)]
    : path
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, configured));
}

/** The first executable of candidatePaths, or undefined. */
export function findExecutable(configured: string, path = process.env.PATH ?? ''): string | undefined {
  return candidatePaths(configured, path).find(executable);
}

/**
 * The absolute path of an engine's binary, or why not: `error` for the job (the engine and its
 * binary's name, never a host path: users read it), `detail` for the pool's log (the variable and
 * every path tried).
 */
export function resolveEngine(
  program: EngineCommand['program'],
  binaries: EngineBinaries,
  path = process.env.PATH ?? '',
): { path: string } | { error: string; detail: string } {
  const configured = binaries[program];
  const tried = candidatePaths(configured, path);
  const found = tried.find(executable);
  if (found) return { path: found };
  return {
    error: `${engineName(program)} is not installed on the pool that took this job`,
    detail: `engine ${ENGINE_OF[program]}: ${configured} not found (${VARIABLE_OF[program]}=${configured}; tried ${tried.join(', ') || 'an empty PATH'})`,
  };
}

/** "Gaussian (g16)", "LAMMPS (lmp)", "xtb": the engine as users know it, and its program when that differs. */
function engineName(program: EngineCommand['program']): string {
  const title = ENGINE_TITLE[ENGINE_OF[program]];
  return title === program ? title : `${title} (${program})`;
}

/** One engine's version command for the sandbox probe (only engines installed here and that print a version). */
export interface EngineProbe {
  engine: Engine;
  name: string;
  path: string;
  args: string[];
}

export function engineProbes(binaries: EngineBinaries): EngineProbe[] {
  return (Object.keys(VERSION_ARGS) as Engine[]).flatMap((engine) => {
    const args = VERSION_ARGS[engine];
    const path = args ? findExecutable(binaries[ENGINE_PROGRAM[engine]]) : undefined;
    return args && path ? [{ engine, name: engine, path, args }] : [];
  });
}

/**
 * What this pool can run: each engine whose binary is found now, with the version its probe printed
 * (`outputs`: the probe's output by engine; an engine without one, g16, has an unknown version).
 */
export function installedEngines(binaries: EngineBinaries, outputs: ReadonlyMap<Engine, string>): EngineOffer[] {
  return (Object.keys(ENGINE_PROGRAM) as Engine[]).flatMap((engine) =>
    findExecutable(binaries[ENGINE_PROGRAM[engine]])
      ? [{ engine, version: engineVersionOf(engine, outputs.get(engine) ?? '') }]
      : [],
  );
}
