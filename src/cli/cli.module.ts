import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '../config/config.module';
import type { CommonConfig } from '../config/common.config';
import { AccountStatusService } from '../admin-api/account-status.service';
import { DatabaseModule } from '../database/database.module';
import { JobsCoreModule } from '../jobs/jobs-core.module';
import { LimiterModule } from '../limiter/limiter.module';
import { QueueOperations } from '../queueing/queue-operations';
import { QueueingModule } from '../queueing/queueing.module';
import { RedisModule } from '../redis/redis.module';
import { ReuseBlocks } from '../reuse/reuse-blocks.service';
import { UsersService } from '../users/users.service';
import { WorkerTokensService } from '../worker-tokens/worker-tokens.service';

/** What the operator CLI needs: the database, Redis (limiter, queues) and the services it drives. No HTTP. */
@Module({})
export class CliModule {
  static forConfig(config: CommonConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        LimiterModule,
        QueueingModule,
        JobsCoreModule,
      ],
      providers: [UsersService, WorkerTokensService, QueueOperations, ReuseBlocks, AccountStatusService],
    };
  }
}
