import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { LABELS_MAX, type JobLabels } from '../../jobs/job-labels';
import { ENGINES, JOB_TYPES, type Engine, type JobType } from '../../jobs/job-status';
import { IsJobLabels } from './job-labels.decorator';
import { MdSpecDto } from './md-spec.dto';
import { QcSpecDto } from './qc-spec.dto';
import { ResourcesDto } from './resources.dto';

export class CreateJobDto {
  @ApiProperty({ enum: JOB_TYPES })
  @IsIn(JOB_TYPES)
  type!: JobType;

  @ApiProperty({ enum: ENGINES })
  @IsIn(ENGINES)
  engine!: Engine;

  @ApiPropertyOptional({ maxLength: 120 })
  @IsOptional()
  @Matches(/^[^\u0000-\u001f\u007f]{1,120}$/, { message: 'name must be 1-120 printable characters' })
  name?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'number' }, { type: 'string', maxLength: 200 }] },
    maxProperties: LABELS_MAX,
    example: { r_OH: 0.92 },
    description:
      "the job's own labels: names (1-40 letters, digits, _ . -, a letter first) to finite numbers or text; columns of the batch export, the first numeric one the x axis of the batch plot; not engine input (reuse ignores them)",
  })
  @IsOptional()
  @IsJobLabels()
  labels?: JobLabels;

  @ApiPropertyOptional({ minimum: 1, maximum: 10, default: 5, description: '1 = most urgent' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  priority = 5;

  @ApiPropertyOptional({
    default: true,
    description:
      "take the results of an identical COMPLETED job of yours (same engine, inputs and options) instead of running; false runs it (a batch's reuse applies when this is not given)",
  })
  @IsOptional()
  @IsBoolean({ message: 'reuse: must be true or false' })
  reuse?: boolean;

  @ApiPropertyOptional({ type: ResourcesDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ResourcesDto)
  resources: ResourcesDto = new ResourcesDto();

  @ApiPropertyOptional({ type: MdSpecDto })
  @ValidateIf((o: CreateJobDto) => o.type === 'md' || o.md !== undefined)
  @IsDefined({ message: 'md is required for an md job' })
  @ValidateNested()
  @Type(() => MdSpecDto)
  md?: MdSpecDto;

  @ApiPropertyOptional({ type: QcSpecDto })
  @ValidateIf((o: CreateJobDto) => o.type === 'qc' || o.qc !== undefined)
  @IsDefined({ message: 'qc is required for a qc job' })
  @ValidateNested()
  @Type(() => QcSpecDto)
  qc?: QcSpecDto;
}
