import { Module } from '@nestjs/common';
import { QueueName } from '../../queues';
import { WorkerConfig } from '../../src/config/worker.config';
import { LocalExecutor } from '../../src/executor/local-executor';
import { SlurmExecutor } from '../../src/executor/slurm-executor';
import { JobsCoreModule } from '../../src/jobs/jobs-core.module';
import { EXECUTOR, RunService } from '../../src/running/run.service';
import { runProcessor } from './run.processor';

export const MdRunProcessor = runProcessor(QueueName.Md);
export const QcRunProcessor = runProcessor(QueueName.Qc);

/** md/qc pools: the local executor runs the engines on this node; EXECUTOR=slurm sends them to a cluster over SSH. */
@Module({
  imports: [JobsCoreModule],
  providers: [
    RunService,
    {
      provide: EXECUTOR,
      inject: [WorkerConfig],
      useFactory: (config: WorkerConfig) =>
        config.EXECUTOR === 'slurm' && config.slurm
          ? SlurmExecutor.connect(config.slurm, config.SLURM_POLL_MS)
          : new LocalExecutor({ lmp: config.LMP_BIN, xtb: config.XTB_BIN, g16: config.G16_BIN }),
    },
    MdRunProcessor,
    QcRunProcessor,
  ],
  exports: [MdRunProcessor, QcRunProcessor],
})
export class RunProcessorModule {}
