import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

import { QC_TASKS, type QcTask } from '../../jobs/job-spec';

const KEYWORD = /^[A-Za-z0-9][A-Za-z0-9()+*,'/-]{0,39}$/;

export class QcSpecDto {
  @ApiProperty({ description: 'molecule as XYZ (standard or bare atom lines), at most 500 atoms' })
  @IsString()
  @MaxLength(60_000)
  xyz!: string;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @IsInt()
  @Min(-20)
  @Max(20)
  charge = 0;

  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(11)
  multiplicity = 1;

  @ApiProperty({ enum: QC_TASKS })
  @IsIn(QC_TASKS)
  task!: QcTask;

  @ApiPropertyOptional({ example: 'B3LYP', description: 'Gaussian only' })
  @IsOptional()
  @Matches(KEYWORD, { message: 'method must be a Gaussian method keyword' })
  method?: string;

  @ApiPropertyOptional({ example: '6-31G(d)', description: 'Gaussian only' })
  @IsOptional()
  @Matches(KEYWORD, { message: 'basis must be a Gaussian basis-set keyword' })
  basis?: string;

  @ApiPropertyOptional({ enum: [0, 1, 2], default: 2, description: 'xtb only: GFN level' })
  @IsOptional()
  @IsIn([0, 1, 2])
  gfn?: 0 | 1 | 2;
}
