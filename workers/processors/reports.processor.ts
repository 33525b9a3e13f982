import { Injectable } from '@nestjs/common';
import { QueueName, type QueuePayloads } from '../../queues';
import { isBatchReport } from '../../queues/reports.queue';
import { BatchReportService } from '../../src/results/batch-report.service';
import { ReportService } from '../../src/results/report.service';
import type { QueueHandler } from '../queue-handler';

type Payload = QueuePayloads[QueueName.Reports];

@Injectable()
export class ReportsProcessor implements QueueHandler<QueueName.Reports> {
  readonly queue = QueueName.Reports;

  constructor(
    private readonly reports: ReportService,
    private readonly batches: BatchReportService,
  ) {}

  async handle(payload: Payload): Promise<string> {
    if (isBatchReport(payload)) return this.batches.write(payload.batchId, payload.stage);
    const outcome = await this.reports.report(payload.jobId);
    const batchId = await this.reports.batchOf(payload.jobId);
    if (batchId) await this.batches.check(batchId);
    return outcome;
  }

  async onFinalFailure(payload: Payload, error: Error): Promise<void> {
    if (isBatchReport(payload)) return;
    await this.reports.fail(payload.jobId, error.message);
    const batchId = await this.reports.batchOf(payload.jobId);
    if (batchId) await this.batches.check(batchId);
  }
}
