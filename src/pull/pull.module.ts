import { Module } from '@nestjs/common';
import { JobsCoreModule } from '../jobs/jobs-core.module';
import { FilesController } from '../storage/files.controller';
import { SignedUrls } from '../storage/signed-urls';
import { WorkerTokensService } from '../worker-tokens/worker-tokens.service';
import { LeaseBroker } from './lease-broker';
import { PullController } from './pull.controller';
import { PullService } from './pull.service';
import { WorkerTokenGuard } from './worker-token.guard';

/** The pull API for bridges, and the signed file URLs they download and upload through. */
@Module({
  imports: [JobsCoreModule],
  controllers: [PullController, FilesController],
  providers: [PullService, LeaseBroker, SignedUrls, WorkerTokensService, WorkerTokenGuard],
})
export class PullModule {}
