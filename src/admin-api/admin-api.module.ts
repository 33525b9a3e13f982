import { Module } from '@nestjs/common';
import { JobsCoreModule } from '../jobs/jobs-core.module';
import { UsersModule } from '../users/users.module';
import { ReuseBlocks } from '../reuse/reuse-blocks.service';
import { AdminReuseController } from './admin-reuse.controller';
import { AdminUsersController } from './admin-users.controller';
import { AccountStatusService } from './account-status.service';

@Module({
  imports: [UsersModule, JobsCoreModule],
  controllers: [AdminUsersController, AdminReuseController],
  providers: [ReuseBlocks, AccountStatusService],
})
export class AdminApiModule {}
