import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  NotContains,
} from 'class-validator';
import { JobSearchFields } from './job-search-fields';

/** Which failed jobs to run again: those of a batch, listed ones, or a search; all given filters apply together. */
export class RetryJobsDto extends JobSearchFields {
  @ApiPropertyOptional({ description: 'these jobs (those of them that failed)', maxItems: 1000 })
  @IsOptional()
  @IsArray({ message: 'jobIds: must be a list of job ids' })
  @ArrayMinSize(1, { message: 'jobIds: name at least one job' })
  @ArrayMaxSize(1000, { message: 'jobIds: at most 1,000 at once' })
  @IsUUID('4', { each: true, message: 'jobIds: each must be a job id (UUID v4)' })
  jobIds?: string[];

  /** Part of the error message (case-insensitive), e.g. "SCF did not converge". */
  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'error: must be text' })
  @MaxLength(200, { message: 'error: at most 200 characters' })
  @NotContains('\0', { message: 'error: must not contain a NUL byte' })
  error?: string;
}
