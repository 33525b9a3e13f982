import { Module } from '@nestjs/common';
import { EnginesModule } from '../engines/engines.module';
import { JobsCoreModule } from '../jobs/jobs-core.module';
import { FilesModule } from '../storage/files.module';
import { WorkerTokensService } from '../worker-tokens/worker-tokens.service';
import { BridgeEnginesController } from './bridge-engines.controller';
import { LeaseBroker } from './lease-broker';
import { PullController } from './pull.controller';
import { ClaimReceipts } from './claim-receipts';
import { PullService } from './pull.service';
import { RunLifecycle } from '../running/run-lifecycle';
import { WorkerTokenGuard } from './worker-token.guard';

/** The pull API for bridges, and their reports of what their clusters run. */
@Module({
  imports: [JobsCoreModule, FilesModule, EnginesModule],
  controllers: [PullController, BridgeEnginesController],
  providers: [PullService, RunLifecycle, ClaimReceipts, LeaseBroker, WorkerTokensService, WorkerTokenGuard],
})
export class PullModule {}
