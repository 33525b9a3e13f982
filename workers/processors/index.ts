import type { Type } from '@nestjs/common';
import { QueueName } from '../../queues';
import type { QueueHandler } from '../queue-handler';
import { IngestionProcessorModule } from './ingestion-processor.module';
import { IngestionProcessor } from './ingestion.processor';
import { ReportsProcessor } from './reports.processor';
import { ResultsProcessorModule } from './results-processor.module';
import { MdRunProcessor, QcRunProcessor, RunProcessorModule } from './run-processor.module';
import { UploadProcessor } from './upload.processor';

export interface ProcessorWiring {
  module: Type<unknown>;
  processor: Type<QueueHandler>;
}

/** The processor of every queue; a queue without one does not compile. */
export const PROCESSORS: Record<QueueName, ProcessorWiring> = {
  [QueueName.Ingestion]: { module: IngestionProcessorModule, processor: IngestionProcessor },
  [QueueName.Md]: { module: RunProcessorModule, processor: MdRunProcessor },
  [QueueName.Qc]: { module: RunProcessorModule, processor: QcRunProcessor },
  [QueueName.Upload]: { module: ResultsProcessorModule, processor: UploadProcessor },
  [QueueName.Reports]: { module: ResultsProcessorModule, processor: ReportsProcessor },
};
