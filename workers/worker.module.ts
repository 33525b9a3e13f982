import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '../src/config/config.module';
import type { WorkerConfig } from '../src/config/worker.config';
import { DatabaseModule } from '../src/database/database.module';
import { LimiterModule } from '../src/limiter/limiter.module';
import { LoggingModule } from '../src/logging/logging.module';
import { QueueingModule } from '../src/queueing/queueing.module';
import { RedisModule } from '../src/redis/redis.module';
import { StorageModule } from '../src/storage/storage.module';
import { PROCESSORS } from './processors';
import { QUEUE_HANDLERS, WORKER_PLAN, type QueueHandler, type WorkerPlan } from './queue-handler';
import { WorkerRunner } from './worker-runner';

/** A worker pool's application context: only the processors of the queues it consumes, no HTTP. */
@Module({})
export class WorkerModule {
  static forPlan(config: WorkerConfig, plan: WorkerPlan): DynamicModule {
    const wirings = plan.queues.flatMap((q) => (PROCESSORS[q] ? [PROCESSORS[q]] : []));
    const modules = [...new Set(wirings.map((w) => w.module))];
    return {
      module: WorkerModule,
      global: true, // the plan: the run pools' engine heartbeat names the queues it serves
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule,
        QueueingModule,
        StorageModule,
        RedisModule,
        LimiterModule,
        ...modules,
      ],
      providers: [
        { provide: WORKER_PLAN, useValue: plan },
        {
          provide: QUEUE_HANDLERS,
          inject: wirings.map((w) => w.processor),
          useFactory: (...handlers: QueueHandler[]) => handlers,
        },
        WorkerRunner,
      ],
      exports: [WORKER_PLAN],
    };
  }
}
