import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, IsUUID, Matches, ValidateNested } from 'class-validator';
import type { EngineOffer } from '../../engines/engine-offers';
import { ENGINES, type Engine } from '../../jobs/job-status';
import { RUN_QUEUES, type RunQueueName } from '../lease-broker';
import type { EnginesReport } from '../pull-contract';

export class EngineOfferDto implements EngineOffer {
  @ApiProperty({ enum: ENGINES })
  @IsIn(ENGINES, { message: `engines.engine: must be one of ${ENGINES.join(', ')}` })
  engine!: Engine;

  @ApiProperty({ type: String, nullable: true, example: 'xtb 6.5.1', description: 'as jobs show it; null: unknown' })
  @IsOptional()
  @IsString({ message: 'engines.version: must be text or null' })
  @Matches(/^[^\u0000-\u001f\u007f]{1,200}$/, { message: 'engines.version: 1-200 printable characters' })
  version!: string | null;
}

export class EnginesReportDto implements EnginesReport {
  @ApiProperty({ description: "this bridge process's id (UUID v4)" })
  @IsUUID('4', { message: 'instanceId: must be a UUID v4' })
  instanceId!: string;

  @ApiProperty({ enum: RUN_QUEUES, isArray: true, description: 'empty: the bridge stops, its entry is removed' })
  @IsArray()
  @IsIn(RUN_QUEUES, { each: true, message: `queues: each must be one of ${RUN_QUEUES.join(', ')}` })
  queues!: RunQueueName[];

  @ApiProperty({ type: [EngineOfferDto] })
  @IsArray()
  @ArrayMaxSize(ENGINES.length)
  @ValidateNested({ each: true })
  @Type(() => EngineOfferDto)
  engines!: EngineOfferDto[];
}
