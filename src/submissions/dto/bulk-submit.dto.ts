import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsOptional, Matches, ValidateNested } from 'class-validator';
import { CreateJobDto } from './create-job.dto';

export const MAX_BULK = 1_000;

export class BulkSubmitDto {
  @ApiPropertyOptional({ maxLength: 120 })
  @IsOptional()
  @Matches(/^[^\u0000-\u001f\u007f]{1,120}$/, { message: 'name must be 1-120 printable characters' })
  name?: string;

  @ApiPropertyOptional({
    default: true,
    description: 'reuse for every job that does not say: false runs them all, even those computed before',
  })
  @IsOptional()
  @IsBoolean({ message: 'reuse: must be true or false' })
  reuse?: boolean;

  @ApiProperty({ type: [CreateJobDto], maxItems: MAX_BULK })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BULK)
  @ValidateNested({ each: true })
  @Type(() => CreateJobDto)
  jobs!: CreateJobDto[];
}
