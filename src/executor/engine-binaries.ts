import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { EngineCommand } from '../rendering/deck';

export type EngineBinaries = Record<EngineCommand['program'], string>;

const ENGINE_OF: Record<EngineCommand['program'], string> = { lmp: 'lammps', xtb: 'xtb', g16: 'gaussian' };
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

/** The absolute path of an engine's binary, or an error message naming the engine and what was tried. */
export function resolveEngine(
  program: EngineCommand['program'],
  binaries: EngineBinaries,
  path = process.env.PATH ?? '',
): { path: string } | { error: string } {
  const configured = binaries[program];
  const tried = candidatePaths(configured, path);
  const found = tried.find(executable);
  if (found) return { path: found };
  return {
    error: `engine ${ENGINE_OF[program]}: ${configured} not found (${VARIABLE_OF[program]}=${configured}; tried ${tried.join(', ') || 'an empty PATH'})`,
  };
}

/** The cheapest command of each installed engine (LAMMPS's help still starts MPI): the sandbox probe runs them. */
const PROBE_ARGS: Record<EngineCommand['program'], string[] | null> = { lmp: ['-h'], xtb: ['--version'], g16: null };

export function engineProbes(binaries: EngineBinaries): { name: string; path: string; args: string[] }[] {
  return (Object.keys(PROBE_ARGS) as EngineCommand['program'][]).flatMap((program) => {
    const args = PROBE_ARGS[program];
    const path = args ? findExecutable(binaries[program]) : undefined;
    return args && path ? [{ name: ENGINE_OF[program], path, args }] : [];
  });
}
