import { Module } from '@nestjs/common';
import { BatchReportService } from '../results/batch-report.service';
import { Reconciler } from './reconciler.service';

@Module({ providers: [Reconciler, BatchReportService], exports: [Reconciler] })
export class ReconcilerModule {}
