import { Module } from '@nestjs/common';
import { JobsCoreModule } from '../../src/jobs/jobs-core.module';
import { BatchReportService } from '../../src/results/batch-report.service';
import { ReportService } from '../../src/results/report.service';
import { UploadService } from '../../src/results/upload.service';
import { ReportsProcessor } from './reports.processor';
import { UploadProcessor } from './upload.processor';

/** upload and reports pools: verify and store results, then parse them into reports. */
@Module({
  imports: [JobsCoreModule],
  providers: [UploadService, ReportService, BatchReportService, UploadProcessor, ReportsProcessor],
  exports: [UploadProcessor, ReportsProcessor],
})
export class ResultsProcessorModule {}
