import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { ReuseBlocks } from '../reuse/reuse-blocks.service';
import { AdminReuseController } from './admin-reuse.controller';
import { AdminUsersController } from './admin-users.controller';

@Module({ imports: [UsersModule], controllers: [AdminUsersController, AdminReuseController], providers: [ReuseBlocks] })
export class AdminApiModule {}
