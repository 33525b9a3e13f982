import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class ResourcesDto {
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: 1024 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1024)
  tasks = 1;

  @ApiPropertyOptional({ default: 60, description: 'minutes', minimum: 1, maximum: 10080 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  walltimeMinutes = 60;

  @ApiPropertyOptional({ default: 2000, description: 'memory in MB (Gaussian %mem)' })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(1_048_576)
  memoryMb = 2000;

  @ApiPropertyOptional({ example: 'short' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'partition must be 1-32 of A-Z a-z 0-9 _ -' })
  partition?: string;
}
