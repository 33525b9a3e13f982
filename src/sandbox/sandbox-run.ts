import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Account {
  uid: number;
  gid: number;
}

/** How to start one engine run: spawn(file, args, {env, uid, gid}). */
export interface LocalLaunch {
  file: string;
  args: string[];
  env: Record<string, string>;
  uid?: number;
  gid?: number;
}

/** One engine run started in the sandbox: its pid (its process group: -pid signals all of it) and its exit. */
export interface SandboxRun {
  pid: number | undefined;
  exited: Promise<{ code: number | null; error?: Error }>;
  /** Only for output 'pipe' (the probe): the process itself, its output readable. */
  child?: ChildProcess;
  /** After the child exited: whether the run's memory limit ended it; removes the run's cgroup. */
  ended(): Promise<{ outOfMemory: boolean }>;
}

export interface RunRequest {
  enginePath: string;
  args: string[];
  workdir: string;
  env: Record<string, string>;
  resources: { memoryMb: number; tasks: number };
  /** The files its stdout and stderr go to (made, or emptied, at start), or pipes to the caller (the probe). */
  output: { stdout: string; stderr: string } | 'pipe';
}

/** The uid/gid of a login name from /etc/passwd, or undefined. */
export function accountOf(name: string, passwd = readFileSync('/etc/passwd', 'utf8')): Account | undefined {
  const line = passwd.split('\n').find((l) => l.split(':')[0] === name);
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
