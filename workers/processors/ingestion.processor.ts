import { Injectable } from '@nestjs/common';
import { QueueName, type QueuePayloads } from '../../queues';
import { IngestionService } from '../../src/ingestion/ingestion.service';
import type { QueueHandler } from '../queue-handler';

@Injectable()
export class IngestionProcessor implements QueueHandler<QueueName.Ingestion> {
  readonly queue = QueueName.Ingestion;

  constructor(private readonly ingestion: IngestionService) {}

  handle(payload: QueuePayloads[QueueName.Ingestion]): Promise<string> {
    return this.ingestion.ingest(payload.jobId);
  }

  onFinalFailure(payload: QueuePayloads[QueueName.Ingestion], error: Error): Promise<void> {
    return this.ingestion.fail(payload.jobId, error.message);
  }
}
