import { Module } from '@nestjs/common';
import { JobsCoreModule } from '../jobs/jobs-core.module';
import { FilesController } from './files.controller';
import { SignedUrls } from './signed-urls';

/** Signed, expiring file URLs and the master route that serves them (master only). */
@Module({
  imports: [JobsCoreModule],
  controllers: [FilesController],
  providers: [SignedUrls],
  exports: [SignedUrls],
})
export class FilesModule {}
