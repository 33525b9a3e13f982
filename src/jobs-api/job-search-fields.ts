import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength, NotContains } from 'class-validator';
import { ENGINES, type Engine } from '../jobs/job-status';

/** The search fields the job list and the retry share (validated alike, each refusal naming its field). */
export class JobSearchFields {
  @ApiPropertyOptional({ enum: ENGINES })
  @IsOptional()
  @IsIn(ENGINES, { message: `engine: must be one of ${ENGINES.join(', ')}` })
  engine?: Engine;

  @ApiPropertyOptional({ description: 'the jobs of this batch' })
  @IsOptional()
  @IsUUID('4', { message: 'batchId: must be a batch id (UUID v4)' })
  batchId?: string;

  /** Part of the job's name (case-insensitive). */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'q: must be text' })
  @MaxLength(100, { message: 'q: at most 100 characters' })
  @NotContains('\0', { message: 'q: must not contain a NUL byte' }) // PostgreSQL text cannot hold one: a 500 otherwise
  q?: string;

  /** Created at or after (ISO 8601). */
  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({}, { message: 'createdFrom: must be an ISO 8601 date' })
  createdFrom?: string;

  /** Created before (ISO 8601). */
  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({}, { message: 'createdTo: must be an ISO 8601 date' })
  createdTo?: string;
}
