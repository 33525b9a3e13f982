import { DynamicModule, Module } from '@nestjs/common';
import { AdminApiModule } from './admin-api/admin-api.module';
import { AuthModule } from './auth/auth.module';
import { ConfigModule } from './config/config.module';
import type { MasterConfig } from './config/master.config';
import { DatabaseModule } from './database/database.module';
import { EnginesModule } from './engines/engines.module';
import { HealthModule } from './health/health.module';
import { LiveModule } from './live/live.module';
import { JobsApiModule } from './jobs-api/jobs-api.module';
import { LimiterModule } from './limiter/limiter.module';
import { JobsCoreModule } from './jobs/jobs-core.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { PullModule } from './pull/pull.module';
import { QueueingModule } from './queueing/queueing.module';
import { ReconcilerModule } from './reconciler/reconciler.module';
import { RedisModule } from './redis/redis.module';
import { StorageModule } from './storage/storage.module';

/** The master: HTTP API, health, metrics and the reconciler. Produces work, consumes none. */
@Module({})
export class AppModule {
  static forConfig(config: MasterConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule,
        RedisModule,
        LimiterModule,
        QueueingModule,
        StorageModule,
        JobsCoreModule,
        AuthModule,
        JobsApiModule,
        EnginesModule,
        AdminApiModule,
        PullModule,
        ReconcilerModule,
        HealthModule,
        MetricsModule,
        LiveModule,
      ],
    };
  }
}
