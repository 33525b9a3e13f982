import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommonConfig } from '../config/common.config';
import { dataSourceOptions } from './data-source-options';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [CommonConfig],
      useFactory: (config: CommonConfig) => ({ ...dataSourceOptions(config), retryAttempts: 5, retryDelay: 2_000 }),
    }),
  ],
})
export class DatabaseModule {}
