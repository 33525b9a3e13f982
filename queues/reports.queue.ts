import { IsIn, IsUUID, ValidateIf } from 'class-validator';
import { STALL_RECOVERY, type QueueDefinition } from './queue-definition';
import { QueueName } from './queue-name';

export const BATCH_REPORT_STAGES = ['partial', 'final'] as const;
export type BatchReportStage = (typeof BATCH_REPORT_STAGES)[number];

export interface JobReportPayload {
  jobId: string;
}

export interface BatchReportPayload {
  batchId: string;
  stage: BatchReportStage;
}

/**
 * A job's report ({jobId}), or a batch's ({batchId, stage}): "partial" once 90 % of its jobs
 * have finished, "final" when all have.
 */
export type ReportsPayload = JobReportPayload | BatchReportPayload;

/** A batch's report? (By value: a validated payload is a schema instance, whose absent fields exist as undefined.) */
export const isBatchReport = (p: ReportsPayload): p is BatchReportPayload =>
  typeof (p as Partial<BatchReportPayload>).batchId === 'string';

/** The class-validator schema of ReportsPayload: a job id, or a batch id with its stage. */
class ReportsPayloadSchema {
  @ValidateIf((o: ReportsPayloadSchema) => o.batchId === undefined)
  @IsUUID('4')
  jobId?: string;

  @ValidateIf((o: ReportsPayloadSchema) => o.jobId === undefined)
  @IsUUID('4')
  batchId?: string;

  @ValidateIf((o: ReportsPayloadSchema) => o.batchId !== undefined)
  @IsIn(BATCH_REPORT_STAGES)
  stage?: BatchReportStage;
}

export const reportsQueue: QueueDefinition<ReportsPayload> = {
  name: QueueName.Reports,
  payload: ReportsPayloadSchema as new () => ReportsPayload, // validated as the schema, typed as the union
  jobOptions: {
    attempts: 4,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { age: 3_600, count: 10_000 },
    removeOnFail: { age: 14 * 24 * 3_600 },
  },
  worker: { concurrency: 2, ...STALL_RECOVERY },
};
