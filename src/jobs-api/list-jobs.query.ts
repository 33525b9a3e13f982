import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { ENGINES, JOB_STATUSES, JOB_TYPES, type Engine, type JobStatus, type JobType } from '../jobs/job-status';

export class ListJobsQuery {
  @ApiPropertyOptional({ enum: JOB_STATUSES })
  @IsOptional()
  @IsIn(JOB_STATUSES)
  status?: JobStatus;

  @ApiPropertyOptional({ enum: JOB_TYPES })
  @IsOptional()
  @IsIn(JOB_TYPES)
  type?: JobType;

  @ApiPropertyOptional({ enum: ENGINES })
  @IsOptional()
  @IsIn(ENGINES)
  engine?: Engine;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('4')
  batchId?: string;

  /** Part of the job's name (case-insensitive). */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  /** Created at or after (ISO 8601). */
  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({}, { message: 'createdFrom: must be an ISO 8601 date' })
  createdFrom?: string;

  /** Created up to (ISO 8601). */
  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({}, { message: 'createdTo: must be an ISO 8601 date' })
  createdTo?: string;

  /** Where to read on: a nextCursor or prevCursor from an earlier page (page is then ignored). */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(300)
  cursor?: string;

  /** A page number, for the first 10,000 jobs of the list; read further with cursor. */
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page = 1;

  @ApiPropertyOptional({ default: 20, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize = 20;
}
