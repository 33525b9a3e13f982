import { IsIn, IsUUID, ValidateIf } from 'class-validator';
import { STALL_RECOVERY, type QueueDefinition } from './queue-definition';
import { QueueName } from './queue-name';

export const BATCH_REPORT_STAGES = ['partial', 'final'] as const;
export type BatchReportStage = (typeof BATCH_REPORT_STAGES)[number];

/**
 * A job's report ({jobId}), or a batch's ({batchId, stage}): "partial" once 90 % of its jobs
 * have finished, "final" when all have.
 */
export class ReportsPayload {
  @ValidateIf((o: ReportsPayload) => o.batchId === undefined)
  @IsUUID('4')
  jobId?: string;

  @ValidateIf((o: ReportsPayload) => o.jobId === undefined)
  @IsUUID('4')
  batchId?: string;

  @ValidateIf((o: ReportsPayload) => o.batchId !== undefined)
  @IsIn(BATCH_REPORT_STAGES)
  stage?: BatchReportStage;
}

export const reportsQueue: QueueDefinition<ReportsPayload> = {
  name: QueueName.Reports,
  payload: ReportsPayload,
  jobOptions: {
    attempts: 4,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { age: 3_600, count: 10_000 },
    removeOnFail: { age: 14 * 24 * 3_600 },
  },
  worker: { concurrency: 2, ...STALL_RECOVERY },
};
