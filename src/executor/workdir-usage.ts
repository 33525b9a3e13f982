import { lstat, opendir } from 'node:fs/promises';
import { join } from 'node:path';

export interface WorkdirUsage {
  /** Entries of every kind under the work dir (files, dirs, links, FIFOs…). */
  entries: number;
  /** Disk the entries take: allocated blocks, so sparse and preallocated files count as written. */
  allocatedBytes: number;
}

/**
 * What a run's work dir takes on disk, walked without following links; it stops counting once
 * either limit is passed (a job with a million files costs one bounded walk, not a million stats).
 */
export async function workdirUsage(dir: string, limits: { entries: number; bytes: number }): Promise<WorkdirUsage> {
  const usage: WorkdirUsage = { entries: 0, allocatedBytes: 0 };
  const pending = [dir];
  while (pending.length > 0) {
    const current = pending.pop()!;
    const listing = await opendir(current).catch(() => null);
    if (!listing) continue;
    for await (const entry of listing) {
      usage.entries++;
      const path = join(current, entry.name);
      const stats = await lstat(path).catch(() => null);
      if (stats) usage.allocatedBytes += Math.max(stats.blocks * 512, 0);
      if (entry.isDirectory()) pending.push(path);
      if (usage.entries > limits.entries || usage.allocatedBytes > limits.bytes) return usage; // leaving the loop closes the listing
    }
  }
  return usage;
}

/** Why a work dir's usage is over its limits, or null. */
export function usageProblem(usage: WorkdirUsage, limits: { entries: number; bytes: number }): string | null {
  if (usage.allocatedBytes > limits.bytes)
    return `the work dir passed ${Math.round(limits.bytes / 2 ** 20)} MiB on disk (SANDBOX_MAX_OUTPUT_MB): the engine was stopped`;
  if (usage.entries > limits.entries)
    return `the work dir passed ${limits.entries} files (SANDBOX_MAX_OUTPUT_FILES × 4 while running): the engine was stopped`;
  return null;
}

/** Why a finished run's outputs may not be kept (too many, or too large in all: their sizes, as stored), or null. */
export function outputsProblem(outputs: { size: number }[], limits: { files: number; bytes: number }): string | null {
  if (outputs.length > limits.files)
    return `the run left ${outputs.length} output files; at most ${limits.files} are kept (SANDBOX_MAX_OUTPUT_FILES)`;
  const total = outputs.reduce((sum, f) => sum + f.size, 0);
  if (total > limits.bytes)
    return `the run's outputs take ${Math.ceil(total / 2 ** 20)} MiB; at most ${Math.round(limits.bytes / 2 ** 20)} MiB are kept (SANDBOX_MAX_OUTPUT_MB)`;
  return null;
}
