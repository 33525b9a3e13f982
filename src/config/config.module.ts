import { DynamicModule, Global, Module } from '@nestjs/common';
import { CommonConfig } from './common.config';

/**
 * Provides an already validated config object under its own class and under CommonConfig,
 * so shared modules (database, Redis) depend only on what every process has.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot<T extends CommonConfig>(config: T): DynamicModule {
    const ownClass = config.constructor as new () => T;
    const providers = [{ provide: CommonConfig, useValue: config }];
    if (ownClass !== CommonConfig) providers.push({ provide: ownClass, useValue: config });
    return { module: ConfigModule, providers, exports: providers.map((p) => p.provide) };
  }
}
