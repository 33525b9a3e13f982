import { join, resolve } from 'node:path';
import { QueueName } from '../queues';
import { withoutMasterSecrets } from '../src/config/master-secrets';
import { PROCESSORS } from '../workers/processors';
import { Supervisor, type ChildSpec } from './supervisor';

/**
 * `npm start` on one machine: the master plus one process per worker pool, restarted if one
 * dies, all stopped together on SIGTERM/SIGINT (each child gets the signal and its grace).
 */
const POOLS: QueueName[][] = [
  [QueueName.Ingestion, QueueName.Reports],
  [QueueName.Upload],
  [QueueName.Md, QueueName.Qc],
];

const dist = join(__dirname, '..');
// the master's secrets go to the master alone
const children: ChildSpec[] = [{ name: 'master', args: [join(dist, 'src/main.js')], env: process.env }];
for (const pool of POOLS) {
  const built = pool.filter((q) => PROCESSORS[q]);
  if (built.length > 0) {
    children.push({
      name: `worker[${built.join(',')}]`,
      args: [join(dist, 'workers/main.js'), '--queues', built.join(',')],
      env: withoutMasterSecrets(process.env),
    });
  }
}

const supervisor = new Supervisor();
const stop = (signal: NodeJS.Signals) => void supervisor.stop(signal).then(() => process.exit(0));
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
for (const c of children) supervisor.start(c);
process.stdout.write(`molq: started ${children.map((c) => c.name).join(', ')}\n`);
void announceWhenUp();

/** Once the master answers /health: the one block a new user reads (where, first admin, data, logs, stop). */
async function announceWhenUp(): Promise<void> {
  const host = process.env.HOST ?? '127.0.0.1';
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${process.env.PORT ?? '3000'}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const up = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) {
      process.stdout.write(startupBlock(url));
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  process.stdout.write(`molq: the master has not answered ${url}/health in 90 s; its log lines above say why\n`);
}

function startupBlock(url: string): string {
  const database = (process.env.DATABASE_URL ?? '').replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:…@'); // never print a password
  const files = resolve(process.env.STORAGE_DIR ?? './data/objects');
  return [
    '',
    `  molq is up: ${url}/`,
    `    first admin   npm run cli -- users create --email you@example.org --role admin   (password from MOLQ_PASSWORD, or typed)`,
    `    then          sign in at ${url}/ ; API docs at ${url}/docs ; queues at ${url}/admin/queues`,
    `    data          PostgreSQL ${database}, Redis ${process.env.REDIS_URL ?? ''} (prefix ${process.env.REDIS_PREFIX ?? 'molq'}), files in ${files}`,
    `    logs          here (readable lines on a terminal, JSON otherwise; LOG_LEVEL=debug for more)`,
    `    stop          Ctrl-C: every process finishes what it is doing, then exits`,
    '',
    '',
  ].join('\n');
}
