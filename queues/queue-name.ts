/** Stable queue identifiers: Redis keys are derived from them, never rename one casually. */
export enum QueueName {
  Ingestion = 'ingestion',
  Md = 'md',
  Qc = 'qc',
  Upload = 'upload',
  Reports = 'reports',
}

export const QUEUE_NAMES: readonly QueueName[] = Object.values(QueueName);

export function isQueueName(value: string): value is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(value);
}
