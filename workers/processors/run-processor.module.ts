import { Module } from '@nestjs/common';
import { QueueName } from '../../queues';
import { WorkerConfig } from '../../src/config/worker.config';
import { EngineHeartbeat } from '../../src/engines/engine-heartbeat';
import { EngineRegistry } from '../../src/engines/engine-registry';
import { engineProbes } from '../../src/executor/engine-binaries';
import { LocalExecutor } from '../../src/executor/local-executor';
import { LocalSandbox } from '../../src/sandbox/local-sandbox';
import { SlurmExecutor } from '../../src/executor/slurm-executor';
import { JobsCoreModule } from '../../src/jobs/jobs-core.module';
import { CancelWatch } from '../../src/running/cancel-watch';
import { RunLifecycle } from '../../src/running/run-lifecycle';
import { EXECUTOR, RunService } from '../../src/running/run.service';
import { runProcessor } from './run.processor';

export const MdRunProcessor = runProcessor(QueueName.Md);
export const QcRunProcessor = runProcessor(QueueName.Qc);

/**
 * md/qc pools: the local executor runs the engines on this node in the sandbox; EXECUTOR=slurm sends
 * them to a cluster over SSH. Either way the sandbox is probed first: a broken one stops the pool.
 * The engines found (an absent one, g16, is simply not offered) and their versions go to the engine
 * registry while the pool lives. A user's cancel reaches the runs by NOTIFY (CancelWatch: one LISTEN
 * connection per pool, whatever the number of runs).
 */
@Module({
  imports: [JobsCoreModule],
  providers: [
    RunService,
    RunLifecycle,
    CancelWatch,
    {
      provide: EXECUTOR,
      inject: [WorkerConfig],
      useFactory: async (config: WorkerConfig) => {
        if (config.EXECUTOR === 'slurm' && config.slurm) {
          const executor = SlurmExecutor.connect(config.slurm, config.SLURM_POLL_MS);
          await executor.probeSandbox();
          await executor.probeEngines();
          return executor;
        }
        const binaries = { lmp: config.LMP_BIN, xtb: config.XTB_BIN, g16: config.G16_BIN };
        const sandbox = LocalSandbox.fromConfig(config);
        const printed = await sandbox.probe(engineProbes(binaries));
        return new LocalExecutor(
          binaries,
          sandbox,
          { outputFiles: config.SANDBOX_MAX_OUTPUT_FILES, outputBytes: config.SANDBOX_MAX_OUTPUT_MB * 2 ** 20 },
          printed,
        );
      },
    },
    EngineRegistry,
    EngineHeartbeat,
    MdRunProcessor,
    QcRunProcessor,
  ],
  exports: [MdRunProcessor, QcRunProcessor],
})
export class RunProcessorModule {}
