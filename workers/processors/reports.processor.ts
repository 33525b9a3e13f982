import { Injectable } from '@nestjs/common';
import { QueueName, type QueuePayloads } from '../../queues';
import { ReportService } from '../../src/results/report.service';
import type { QueueHandler } from '../queue-handler';

@Injectable()
export class ReportsProcessor implements QueueHandler<QueueName.Reports> {
  readonly queue = QueueName.Reports;

  constructor(private readonly reports: ReportService) {}

  handle(payload: QueuePayloads[QueueName.Reports]): Promise<string> {
    return this.reports.report(payload.jobId);
  }

  onFinalFailure(payload: QueuePayloads[QueueName.Reports], error: Error): Promise<void> {
    return this.reports.fail(payload.jobId, error.message);
  }
}
