import { Module } from '@nestjs/common';
import { JobsCoreModule } from '../jobs/jobs-core.module';
import { FilesModule } from '../storage/files.module';
import { WorkerTokensService } from '../worker-tokens/worker-tokens.service';
import { LeaseBroker } from './lease-broker';
import { PullController } from './pull.controller';
import { ClaimReceipts } from './claim-receipts';
import { PullService } from './pull.service';
import { RunLifecycle } from '../running/run-lifecycle';
import { WorkerTokenGuard } from './worker-token.guard';

/** The pull API for bridges. */
@Module({
  imports: [JobsCoreModule, FilesModule],
  controllers: [PullController],
  providers: [PullService, RunLifecycle, ClaimReceipts, LeaseBroker, WorkerTokensService, WorkerTokenGuard],
})
export class PullModule {}
