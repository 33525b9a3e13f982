import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { lammpsScriptProblem } from './lammps-script-screen';
import type { ScreenRequest } from './screen-thread';

// One screen, in a worker thread (screen-thread.ts): the answer is the problem found, or null.
const { script, files } = workerData as ScreenRequest;
parentPort!.postMessage(
  lammpsScriptProblem(
    script,
    files.map((f) => ({ name: f.name, read: () => (f.path ? readFileSync(f.path) : Buffer.from(f.bytes!)) })),
  ),
);
