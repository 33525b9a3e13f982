import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { FILE_NAME } from '../../submissions/dto/md-spec.dto';
import { RUN_QUEUES, type RunQueueName } from '../lease-broker';
import type {
  ClaimRequest,
  CompleteRequest,
  FailRequest,
  HeartbeatRequest,
  LeaseRequest,
  ResultFile,
  UploadUrlsRequest,
} from '../pull-contract';

export class ClaimDto implements ClaimRequest {
  @ApiProperty({ enum: RUN_QUEUES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(RUN_QUEUES, { each: true })
  queues!: RunQueueName[];

  @ApiPropertyOptional({ default: 1, maximum: 20 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  max = 1;

  @ApiPropertyOptional({ description: "long-poll at most this long (ms); default the server's CLAIM_WAIT_MS" })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(55_000)
  waitMs?: number;

  @ApiPropertyOptional({
    description:
      "the caller's id for this claim (UUID v4): asked again with the same id, the claim answers with the jobs it already leased under it (an answer lost on the way is not lost)",
  })
  @IsOptional()
  @IsUUID('4', { message: 'claimId: must be a UUID v4' })
  claimId?: string;
}

export class LeaseDto implements LeaseRequest {
  @ApiProperty()
  @IsUUID('4', { message: 'leaseToken must be the token returned by the claim' })
  leaseToken!: string;
}

export class HeartbeatDto extends LeaseDto implements HeartbeatRequest {
  @ApiPropertyOptional({ example: '4242' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.:-]{1,160}$/, { message: 'schedulerId must be 1-160 of A-Z a-z 0-9 _ . : -' })
  schedulerId?: string;

  @ApiPropertyOptional({ example: 'RUNNING', description: "the scheduler's state (Slurm: PENDING, RUNNING, …)" })
  @IsOptional()
  @Matches(/^[A-Z_]{1,32}$/, { message: 'schedulerState must be an upper-case scheduler state' })
  schedulerState?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  progress?: number;
}

export class ResultFileDto implements ResultFile {
  @ApiProperty()
  @Matches(FILE_NAME, { message: 'name must be a plain file name' })
  name!: string;

  @ApiProperty()
  @IsInt()
  @Min(0)
  size!: number;

  @ApiProperty()
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 hex digits' })
  sha256!: string;
}

export class CompleteDto extends LeaseDto implements CompleteRequest {
  @ApiProperty({ type: [ResultFileDto] })
  @IsArray()
  @ArrayMaxSize(1_000)
  @ValidateNested({ each: true })
  @Type(() => ResultFileDto)
  files!: ResultFileDto[];
}

export class FailDto extends LeaseDto implements FailRequest {
  @ApiProperty()
  @IsString()
  @MaxLength(2_000)
  message!: string;

  @ApiProperty({ description: 'true: BullMQ retries it (attempts/backoff); false: the job fails for good' })
  @IsBoolean()
  retryable!: boolean;
}

export class UploadUrlsDto extends LeaseDto implements UploadUrlsRequest {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1_000)
  @Matches(FILE_NAME, { each: true, message: 'names must be plain file names' })
  names!: string[];
}

export class PendingQuery {
  @ApiPropertyOptional({ enum: ['MD', 'QC', 'md', 'qc'] })
  @IsOptional()
  @IsIn(['MD', 'QC', 'md', 'qc'])
  job_type?: string;

  @ApiPropertyOptional({ default: 10, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 10;
}
