import { Module } from '@nestjs/common';
import { EngineAvailability } from './engine-availability';
import { EngineRegistry } from './engine-registry';
import { EnginesController } from './engines.controller';

/** The master's side of the engine registry: GET /engines, the check at submission, bridges' reports. */
@Module({
  controllers: [EnginesController],
  providers: [EngineRegistry, EngineAvailability],
  exports: [EngineRegistry, EngineAvailability],
})
export class EnginesModule {}
