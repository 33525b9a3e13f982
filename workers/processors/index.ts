import type { Type } from '@nestjs/common';
import { QueueName } from '../../queues';
import type { QueueHandler } from '../queue-handler';
import { IngestionProcessorModule } from './ingestion-processor.module';
import { IngestionProcessor } from './ingestion.processor';
import { MdRunProcessor, QcRunProcessor, RunProcessorModule } from './run-processor.module';

export interface ProcessorWiring {
  module: Type<unknown>;
  processor: Type<QueueHandler>;
}

/**
 * Processors built so far, per queue. upload and reports are added by their issues; a pool asked to consume a queue missing here refuses to start.
 */
export const PROCESSORS: Partial<Record<QueueName, ProcessorWiring>> = {
  [QueueName.Ingestion]: { module: IngestionProcessorModule, processor: IngestionProcessor },
  [QueueName.Md]: { module: RunProcessorModule, processor: MdRunProcessor },
  [QueueName.Qc]: { module: RunProcessorModule, processor: QcRunProcessor },
};
