import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { QueueName } from '../queues';
import { withoutMasterSecrets } from '../src/config/master-secrets';
import { PROCESSORS } from '../workers/processors';

/**
 * `npm start` on one machine: the master plus one process per worker pool, restarted if one
 * dies, all stopped together on SIGTERM/SIGINT (each child gets the signal and its grace).
 */
const POOLS: QueueName[][] = [[QueueName.Ingestion, QueueName.Reports], [QueueName.Upload], [QueueName.Md, QueueName.Qc]];

interface Child {
  name: string;
  args: string[];
  process?: ChildProcess;
}

const dist = join(__dirname, '..');
const children: Child[] = [{ name: 'master', args: [join(dist, 'src/main.js')] }];
for (const pool of POOLS) {
  const built = pool.filter((q) => PROCESSORS[q]);
  if (built.length > 0) children.push({ name: `worker[${built.join(',')}]`, args: [join(dist, 'workers/main.js'), '--queues', built.join(',')] });
}

let stopping = false;

/** The master's secrets go to the master alone. */
const envFor = (child: Child): NodeJS.ProcessEnv => (child.name === 'master' ? process.env : withoutMasterSecrets(process.env));

function launch(child: Child, restarts = 0): void {
  const proc = spawn(process.execPath, child.args, { stdio: 'inherit', env: envFor(child) });
  child.process = proc;
  proc.on('exit', (code, signal) => {
    child.process = undefined;
    if (stopping) return;
    const wait = Math.min(1_000 * 2 ** restarts, 30_000);
    process.stderr.write(`molq: ${child.name} exited (${signal ?? code}); restarting in ${wait} ms\n`);
    setTimeout(() => launch(child, restarts + 1), wait);
  });
}

function stop(signal: NodeJS.Signals): void {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.process?.kill(signal);
  const check = setInterval(() => {
    if (children.every((c) => !c.process)) {
      clearInterval(check);
      process.exit(0);
    }
  }, 100);
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
for (const c of children) launch(c);
process.stdout.write(`molq: started ${children.map((c) => c.name).join(', ')}\n`);
