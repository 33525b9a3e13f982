import { Module } from '@nestjs/common';
import { EngineRegistry } from '../../src/engines/engine-registry';
import { IngestionService } from '../../src/ingestion/ingestion.service';
import { JobsCoreModule } from '../../src/jobs/jobs-core.module';
import { BatchReportService } from '../../src/results/batch-report.service';
import { ResultReuse } from '../../src/reuse/result-reuse.service';
import { IngestionProcessor } from './ingestion.processor';

@Module({
  imports: [JobsCoreModule],
  providers: [IngestionService, ResultReuse, EngineRegistry, BatchReportService, IngestionProcessor],
  exports: [IngestionProcessor],
})
export class IngestionProcessorModule {}
