import { Global, Module } from '@nestjs/common';
import { CommonConfig } from '../config/common.config';
import { LocalStorage } from './local-storage';
import { OssStorage } from './oss-storage';
import { Storage } from './storage';

function storageFor(config: CommonConfig): Storage {
  if (config.STORAGE_DRIVER === 'local') return new LocalStorage(config.STORAGE_DIR);
  return new OssStorage({
    endpoint: config.OSS_ENDPOINT!,
    bucket: config.OSS_BUCKET!,
    accessKeyId: config.OSS_ACCESS_KEY_ID!,
    accessKeySecret: config.OSS_ACCESS_KEY_SECRET!,
    region: config.OSS_REGION,
  });
}

@Global()
@Module({
  providers: [{ provide: Storage, inject: [CommonConfig], useFactory: storageFor }],
  exports: [Storage],
})
export class StorageModule {}
