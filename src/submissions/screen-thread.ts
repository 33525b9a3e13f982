import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { UploadedFile } from './uploaded-file';

export interface ScreenRequest {
  script: string;
  /** Each upload by path (streamed to disk by multer) or by its bytes (in memory). */
  files: { name: string; path?: string; bytes?: Uint8Array }[];
}

/** How long one screen may take (linear: 1 MiB takes well under a second) before the upload is refused. */
export const SCREEN_TIMEOUT_MS = 10_000;

/** Thrown when a screen did not finish in time: the submission is refused, the thread ended. */
export class ScreenTimeout extends Error {}

/**
 * The compiled worker beside this file; when this file runs from its TypeScript source (jest), the
 * build's copy (the test command builds first).
 */
function workerFile(): string {
  const beside = join(__dirname, 'screen-thread.worker.js');
  if (existsSync(beside)) return beside;
  const built = resolve(__dirname, '../../dist/src/submissions/screen-thread.worker.js');
  if (existsSync(built)) return built;
  throw new Error(`screen-thread: no compiled worker at ${beside} or ${built} (npm run build)`);
}

/**
 * Screens an uploaded LAMMPS script (lammpsScriptProblem) in a worker thread, so no upload holds
 * the master's event loop: the problem found, or null. A screen past SCREEN_TIMEOUT_MS is stopped.
 */
export function screenInThread(
  script: string,
  uploads: UploadedFile[],
  timeoutMs = SCREEN_TIMEOUT_MS,
): Promise<string | null> {
  const request: ScreenRequest = {
    script,
    files: uploads.map((u) => (u.path ? { name: u.name, path: u.path } : { name: u.name, bytes: u.read() })),
  };
  const worker = new Worker(workerFile(), { workerData: request, resourceLimits: { maxOldGenerationSizeMb: 512 } });
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      fail(new ScreenTimeout(`screening the script took longer than ${timeoutMs / 1000} s`));
    }, timeoutMs);
    worker.once('message', (problem: string | null) => {
      clearTimeout(timer);
      void worker.terminate();
      done(problem);
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      fail(err);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`screen thread exited with code ${code} before answering`));
    });
  });
}
