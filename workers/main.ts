import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { configOrExit } from '../src/bootstrap/config-or-exit';
import { MASTER_SECRETS } from '../src/config/master-secrets';
import { loadWorkerConfig } from '../src/config/worker.config';
import { SandboxBrokenError } from '../src/sandbox/local-sandbox';
import { WorkerModule } from './worker.module';
import { WorkerPlanError, workerPlan } from './worker-plan';
import { WorkerRunner } from './worker-runner';

/** Worker pool: `node dist/workers/main.js --queues ingestion,reports --concurrency 4`. */
async function main(): Promise<void> {
  const config = configOrExit({ load: () => loadWorkerConfig() }, 'worker');
  const secrets = MASTER_SECRETS.filter((k) => process.env[k]);
  if (secrets.length > 0) {
    // a pool runs users' engines: it must never hold the master's secrets (give them to the master alone)
    process.stderr.write(
      `molq worker: ${secrets.join(', ')}: the master's secret(s) must not be given to a worker pool\n`,
    );
    process.exit(78);
  }
  let plan;
  try {
    plan = workerPlan(process.argv.slice(2), config);
  } catch (err) {
    if (!(err instanceof WorkerPlanError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) throw err;
    process.stderr.write(`molq worker: ${(err as Error).message}\n`);
    process.exit(64);
  }
  const app = await NestFactory.createApplicationContext(WorkerModule.forPlan(config, plan), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  const runner = app.get(WorkerRunner);
  await runner.start();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.get(Logger).log(`${signal}: stopping, grace ${config.WORKER_SHUTDOWN_GRACE_MS} ms`);
    // Whatever hangs past grace + 10 s (a stuck database call), the jobs are back in their queues by then.
    setTimeout(() => process.exit(0), config.WORKER_SHUTDOWN_GRACE_MS + 10_000).unref();
    await runner.stop(config.WORKER_SHUTDOWN_GRACE_MS);
    await app.close();
    process.exit(0);
  };
  // nothing may fail unseen: a rejection nobody handled is logged, and the pool exits for its
  // supervisor to restart it (its BullMQ locks lapse and the stalled check returns its jobs;
  // its engines die with it: the sandbox runs them with --die-with-parent)
  process.on('unhandledRejection', (reason) => {
    app
      .get(Logger)
      .error(
        `unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}; exiting for a restart`,
      );
    setTimeout(() => process.exit(1), 100).unref();
  });
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  if (err instanceof SandboxBrokenError) {
    process.stderr.write(`molq worker: ${err.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`molq worker: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
