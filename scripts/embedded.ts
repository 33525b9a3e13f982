import { join } from 'node:path';
import { QueueName } from '../queues';
import { withoutMasterSecrets } from '../src/config/master-secrets';
import { PROCESSORS } from '../workers/processors';
import { Supervisor, type ChildSpec } from './supervisor';

/**
 * `npm start` on one machine: the master plus one process per worker pool, restarted if one
 * dies, all stopped together on SIGTERM/SIGINT (each child gets the signal and its grace).
 */
const POOLS: QueueName[][] = [[QueueName.Ingestion, QueueName.Reports], [QueueName.Upload], [QueueName.Md, QueueName.Qc]];

const dist = join(__dirname, '..');
// the master's secrets go to the master alone
const children: ChildSpec[] = [{ name: 'master', args: [join(dist, 'src/main.js')], env: process.env }];
for (const pool of POOLS) {
  const built = pool.filter((q) => PROCESSORS[q]);
  if (built.length > 0) {
    children.push({ name: `worker[${built.join(',')}]`, args: [join(dist, 'workers/main.js'), '--queues', built.join(',')], env: withoutMasterSecrets(process.env) });
  }
}

const supervisor = new Supervisor();
const stop = (signal: NodeJS.Signals) => void supervisor.stop(signal).then(() => process.exit(0));
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
for (const c of children) supervisor.start(c);
process.stdout.write(`molq: started ${children.map((c) => c.name).join(', ')}\n`);
