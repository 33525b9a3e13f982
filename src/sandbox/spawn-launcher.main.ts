/**
 * The run pool's launcher: a small long-lived process that spawns the sandboxed engines for its pool,
 * so the pool's event loop does not pay for forking its own (large) address space at every run.
 * It speaks only to its parent over the IPC channel (see spawn-launcher.ts for the messages). When
 * that channel closes — the pool exited or was killed — it kills every process group it started and
 * exits, so an engine dies with its pool (bubblewrap's --die-with-parent ends the rest).
 */
import { spawn } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import type { LaunchReply, LaunchRequest } from './spawn-launcher';

const groups = new Set<number>();
const reply = (message: LaunchReply) => process.send?.(message);

/** A file the run writes to (its stdout.log, stderr.log) or the launcher hands it (the seccomp program): never through a symlink. */
function openFor(path: string, write: boolean): number {
  const flags = write
    ? constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW
    : constants.O_RDONLY | constants.O_NOFOLLOW;
  return openSync(path, flags, 0o644);
}

function launch(request: LaunchRequest): void {
  const fds: number[] = [];
  try {
    fds.push(openFor(request.stdout, true), openFor(request.stderr, true));
    if (request.fd3) fds.push(openFor(request.fd3, false));
    const child = spawn(request.file, request.args, {
      cwd: request.cwd,
      detached: true,
      stdio: ['ignore', ...fds],
      env: request.env,
      uid: request.uid,
      gid: request.gid,
    });
    child.once('spawn', () => {
      groups.add(child.pid!);
      reply({ id: request.id, pid: child.pid! });
    });
    child.once('error', (err: NodeJS.ErrnoException) => reply({ id: request.id, error: err.message, code: err.code }));
    child.once('exit', (code, signal) => {
      groups.delete(child.pid!);
      reply({ id: request.id, exit: code, signal });
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    reply({ id: request.id, error: e.message, code: e.code });
  } finally {
    for (const fd of fds) closeSync(fd); // the child holds its own copies
  }
}

process.on('message', (request: LaunchRequest) => launch(request));
process.on('disconnect', () => {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  process.exit(0);
});
