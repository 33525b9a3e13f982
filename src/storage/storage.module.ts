import { Global, Module } from '@nestjs/common';
import { CommonConfig } from '../config/common.config';
import { LocalStorage } from './local-storage';
import { Storage } from './storage';

@Global()
@Module({
  providers: [{ provide: Storage, inject: [CommonConfig], useFactory: (config: CommonConfig) => new LocalStorage(config.STORAGE_DIR) }],
  exports: [Storage],
})
export class StorageModule {}
