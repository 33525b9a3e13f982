import type { DeckManifest } from '../rendering/deck';
import {
  apptainerCommand,
  bubblewrapCommand,
  CLUSTER_LIMITS,
  engineEnvironment,
  shellWords,
  type SandboxSpec,
  type Word,
} from '../sandbox/sandbox-command';
import { shellQuote } from './shell-quote';

/** How a cluster confines its engines (CLUSTER_SANDBOX…). */
export interface ClusterSandbox {
  kind: 'bwrap' | 'apptainer' | 'none';
  /** The launcher's binary; defaults to bwrap / apptainer on the login PATH. */
  bin?: string;
  /** apptainer: the image. */
  image?: string;
  /** bwrap: more read-only paths (module trees). */
  readOnly: string[];
}

/** A job the cluster may not run as configured (an uploaded script where nothing confines it): never retried. */
export class ClusterRefusedError extends Error {}

/** The launcher words around `command` (a confined run sees only `workdir`), or the command itself with no sandbox. */
export function confinedCommand(
  sandbox: ClusterSandbox,
  workdir: string,
  command: Word[],
  env: Record<string, string>,
): Word[] {
  if (sandbox.kind === 'none') return command;
  const spec: SandboxSpec = { workdir, command, env: engineEnvironment(env), limits: CLUSTER_LIMITS };
  if (sandbox.kind === 'apptainer') return apptainerCommand(spec, sandbox.image ?? '', sandbox.bin ?? 'apptainer');
  return bubblewrapCommand(
    { ...spec, passEnv: ['PATH', 'LD_LIBRARY_PATH'], readOnly: sandbox.readOnly },
    sandbox.bin ?? 'bwrap',
  );
}

export interface ClusterSettings {
  /** The engine's command on the cluster, e.g. {lmp: "lmp_mpi", xtb: "xtb", g16: "g16"}. */
  programs: Record<DeckManifest['command']['program'], string>;
  /** Lines run before the engine (module load …), per engine program; written as given by the admin. */
  setup: Partial<Record<DeckManifest['command']['program'], string[]>>;
  /** Absent: none (tests of the script alone). */
  sandbox?: ClusterSandbox;
  partition?: string;
  account?: string;
}

const SAFE_OPTION = /^[A-Za-z0-9_.,:+-]{1,64}$/;

/** Slurm's --time from minutes: [D-]HH:MM:SS. */
export function slurmTime(minutes: number): string {
  const total = Math.max(1, Math.round(minutes * 60));
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3_600);
  const m = Math.floor((total % 3_600) / 60);
  const s = total % 60;
  const hms = [h, m, s].map((n) => String(n).padStart(2, '0')).join(':');
  return d > 0 ? `${d}-${hms}` : hms;
}

/** The Slurm job name of a molq job: how a re-claimed job is found instead of submitted again. */
export const slurmJobName = (jobId: string) => `molq-${jobId}`;

/**
 * The batch script for one job. Every value that came from a user (file names, arguments,
 * the working directory) is a single-quoted shell word; #SBATCH options accept only a plain
 * character set and are refused otherwise. The admin's module lines are trusted configuration.
 * The engine runs through the cluster's sandbox; with none, an uploaded script is refused.
 */
export function renderSbatchScript(manifest: DeckManifest, workdir: string, cluster: ClusterSettings): string {
  const r = manifest.resources;
  const partition = r.partition ?? cluster.partition;
  for (const [name, value] of [
    ['partition', partition],
    ['account', cluster.account],
  ] as const) {
    if (value !== undefined && !SAFE_OPTION.test(value))
      throw new Error(`${name} "${value}" is not a plain Slurm name`);
  }
  const program = manifest.command.program;
  const sandbox = cluster.sandbox ?? { kind: 'none', readOnly: [] };
  if (manifest.userScript && sandbox.kind === 'none')
    throw new ClusterRefusedError('uploaded scripts run only in a sandbox, and this cluster has CLUSTER_SANDBOX=none');
  // the engine is found after the module lines (they set PATH), then started by absolute path inside the sandbox
  const engine =
    sandbox.kind === 'bwrap'
      ? [
          `engine=$(command -v ${shellQuote(cluster.programs[program])}) || { echo ${shellQuote(`engine ${cluster.programs[program]} not found`)} >&2; exit 127; }`,
        ]
      : [];
  const command: Word[] = [
    sandbox.kind === 'bwrap' ? { hostEnv: 'engine' } : cluster.programs[program],
    ...manifest.command.args,
  ];
  const lines = [
    '#!/bin/bash',
    `#SBATCH --job-name=${slurmJobName(manifest.jobId)}`,
    '#SBATCH --output=slurm-%j.out',
    '#SBATCH --error=slurm-%j.err',
    `#SBATCH --time=${slurmTime(r.walltimeMinutes)}`,
    `#SBATCH --ntasks=${r.tasks}`,
    `#SBATCH --mem=${r.memoryMb}M`,
    ...(partition ? [`#SBATCH --partition=${partition}`] : []),
    ...(cluster.account ? [`#SBATCH --account=${cluster.account}`] : []),
    'set -euo pipefail',
    `cd ${shellQuote(workdir)}`,
    `export OMP_NUM_THREADS=${r.tasks}`,
    ...(cluster.setup[program] ?? []),
    ...engine,
    `exec ${shellWords(confinedCommand(sandbox, workdir, command, { OMP_NUM_THREADS: String(r.tasks) }))} > stdout.log 2> stderr.log`,
    '',
  ];
  return lines.join('\n');
}
