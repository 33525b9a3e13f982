import { UnrecoverableError } from 'bullmq';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ingestionQueue, type IngestionPayload } from './ingestion.queue';
import { mdQueue, type MdPayload } from './md.queue';
import type { QueueDefinition } from './queue-definition';
import { QueueName } from './queue-name';
import { qcQueue, type QcPayload } from './qc.queue';
import { reportsQueue, type ReportsPayload } from './reports.queue';
import { uploadQueue, type UploadPayload } from './upload.queue';

export * from './queue-name';
export { runPayload } from './run.payload';
export type { QueueDefinition, QueueWorkerOptions } from './queue-definition';

/** Payload type per queue: a handler's argument type follows from its queue name. */
export interface QueuePayloads {
  [QueueName.Ingestion]: IngestionPayload;
  [QueueName.Md]: MdPayload;
  [QueueName.Qc]: QcPayload;
  [QueueName.Upload]: UploadPayload;
  [QueueName.Reports]: ReportsPayload;
}

/** Every queue's definition; a queue without one does not compile. */
export const QUEUES: { readonly [N in QueueName]: QueueDefinition<QueuePayloads[N]> } = {
  [QueueName.Ingestion]: ingestionQueue,
  [QueueName.Md]: mdQueue,
  [QueueName.Qc]: qcQueue,
  [QueueName.Upload]: uploadQueue,
  [QueueName.Reports]: reportsQueue,
};

/**
 * Checks a payload against its queue's schema. A bad payload can never succeed, so it is an
 * UnrecoverableError: BullMQ fails the job at once instead of retrying it.
 */
export function parsePayload<N extends QueueName>(queue: N, data: unknown): QueuePayloads[N] {
  const schema = QUEUES[queue].payload as new () => QueuePayloads[N];
  const payload = plainToInstance(schema, data ?? {});
  const errors = validateSync(payload, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    const what = errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join('; ')}`).join(', ');
    throw new UnrecoverableError(`invalid ${queue} payload (${what})`);
  }
  return payload;
}
