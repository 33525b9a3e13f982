import { Module } from '@nestjs/common';
import { IngestionService } from '../../src/ingestion/ingestion.service';
import { JobsCoreModule } from '../../src/jobs/jobs-core.module';
import { IngestionProcessor } from './ingestion.processor';

@Module({ imports: [JobsCoreModule], providers: [IngestionService, IngestionProcessor], exports: [IngestionProcessor] })
export class IngestionProcessorModule {}
