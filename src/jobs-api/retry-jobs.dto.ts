import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
} from 'class-validator';
import { ENGINES, type Engine } from '../jobs/job-status';

/** Which failed jobs to run again: those of a batch, listed ones, or a search; all given filters apply together. */
export class RetryJobsDto {
  @ApiPropertyOptional({ description: 'the failed jobs of this batch' })
  @IsOptional()
  @IsUUID('4', { message: 'batchId: must be a batch id (UUID v4)' })
  batchId?: string;

  @ApiPropertyOptional({ description: 'these jobs (those of them that failed)', maxItems: 1000 })
  @IsOptional()
  @IsArray({ message: 'jobIds: must be a list of job ids' })
  @ArrayMinSize(1, { message: 'jobIds: name at least one job' })
  @ArrayMaxSize(1000, { message: 'jobIds: at most 1,000 at once' })
  @IsUUID('4', { each: true, message: 'jobIds: each must be a job id (UUID v4)' })
  jobIds?: string[];

  @ApiPropertyOptional({ enum: ENGINES })
  @IsOptional()
  @IsIn(ENGINES, { message: `engine: must be one of ${ENGINES.join(', ')}` })
  engine?: Engine;

  /** Part of the error message (case-insensitive), e.g. "SCF did not converge". */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'error: must be text' })
  @MaxLength(200, { message: 'error: at most 200 characters' })
  error?: string;

  /** Part of the job's name (case-insensitive). */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'q: must be text' })
  @MaxLength(100, { message: 'q: at most 100 characters' })
  q?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({}, { message: 'createdFrom: must be an ISO 8601 date' })
  createdFrom?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({}, { message: 'createdTo: must be an ISO 8601 date' })
  createdTo?: string;
}
