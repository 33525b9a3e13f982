import { Module } from '@nestjs/common';
import { JobsCoreModule } from '../jobs/jobs-core.module';
import { BatchReportService } from '../results/batch-report.service';
import { Reconciler } from './reconciler.service';

@Module({ imports: [JobsCoreModule], providers: [Reconciler, BatchReportService], exports: [Reconciler] })
export class ReconcilerModule {}
