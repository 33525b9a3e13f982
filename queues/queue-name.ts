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

/** The queues that run engines, one per job type (md: LAMMPS; qc: Gaussian, xtb). */
export const RUN_QUEUES = [QueueName.Md, QueueName.Qc] as const;
export type RunQueueName = (typeof RUN_QUEUES)[number];
/** The run queue of each job type. */
export const RUN_QUEUE_OF: Readonly<Record<'md' | 'qc', RunQueueName>> = { md: QueueName.Md, qc: QueueName.Qc };
