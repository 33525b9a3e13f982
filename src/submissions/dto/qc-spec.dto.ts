import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

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

  @ApiPropertyOptional({
    example: 'B3LYP',
    description:
      'Gaussian only: a method Gaussian 16 knows (HF, a DFT functional, MP2, CCSD(T), PM6, CBS-QB3…; R/U/RO prefixes; any case), unless customKeywords',
  })
  @IsOptional()
  @Matches(KEYWORD, { message: 'method must be a Gaussian method keyword' })
  method?: string;

  @ApiPropertyOptional({
    example: '6-31G(d)',
    description:
      'Gaussian only: a basis set Gaussian 16 knows (6-31G(d), cc-pVTZ, def2-TZVP, LANL2DZ, Gen…), unless customKeywords; left out for methods that bring their own (semi-empirical, molecular mechanics, CBS/Gn/W1)',
  })
  @IsOptional()
  @Matches(KEYWORD, { message: 'basis must be a Gaussian basis-set keyword' })
  basis?: string;

  @ApiPropertyOptional({
    description:
      'Gaussian only: send method and basis as written, without checking them against the names Gaussian 16 knows (the character pattern still applies; basis optional)',
  })
  @IsOptional()
  @IsBoolean()
  customKeywords?: boolean;

  @ApiPropertyOptional({ enum: [0, 1, 2], default: 2, description: 'xtb only: GFN level' })
  @IsOptional()
  @IsIn([0, 1, 2])
  gfn?: 0 | 1 | 2;
}
