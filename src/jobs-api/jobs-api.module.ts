import { Module } from '@nestjs/common';
import { EnginesModule } from '../engines/engines.module';
import { JobsCoreModule } from '../jobs/jobs-core.module';
import { FilesModule } from '../storage/files.module';
import { JobInsertBatcher } from '../submissions/job-insert-batcher';
import { BatchExportService } from '../exports/batch-export.service';
import { IdempotencyKeys } from '../submissions/idempotency-keys';
import { SubmissionService } from '../submissions/submission.service';
import { SubmissionQuotas } from '../quotas/submission-quotas';
import { BatchesController } from './batches.controller';
import { JobCancellationService } from './job-cancellation.service';
import { JobRetryService } from './job-retry.service';
import { JobsController } from './jobs.controller';
import { JobsQueryService } from './jobs-query.service';

@Module({
  imports: [JobsCoreModule, FilesModule, EnginesModule],
  controllers: [JobsController, BatchesController],
  providers: [
    SubmissionQuotas,
    SubmissionService,
    IdempotencyKeys,
    BatchExportService,
    JobInsertBatcher,
    JobsQueryService,
    JobCancellationService,
    JobRetryService,
  ],
})
export class JobsApiModule {}
