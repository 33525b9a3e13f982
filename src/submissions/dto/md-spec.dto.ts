import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';

export const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Parameters of the built-in Lennard-Jones melt (LAMMPS examples/melt), reduced units. */
export class LjMeltParamsDto {
  @ApiPropertyOptional({ default: 10, description: 'fcc unit cells per box side (4·n³ atoms)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(40)
  atomsPerSide = 10;

  @ApiPropertyOptional({ default: 3.0, description: 'initial temperature (reduced units)' })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  @Max(100)
  temperature = 3.0;

  @ApiPropertyOptional({ default: 250 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  steps = 250;

  @ApiPropertyOptional({ description: 'thermo output interval; default steps/10' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  thermoEvery?: number;

  @ApiPropertyOptional({ default: 87287 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  seed = 87287;
}

export class MdSpecDto {
  @ApiPropertyOptional({ enum: ['lj-melt'], description: 'a built-in template (or give script)' })
  @IsOptional()
  @IsIn(['lj-melt'])
  template?: 'lj-melt';

  @ApiPropertyOptional({ type: LjMeltParamsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => LjMeltParamsDto)
  params?: LjMeltParamsDto;

  @ApiPropertyOptional({ example: 'in.lammps', description: 'name of the uploaded input script (multipart)' })
  @IsOptional()
  @Matches(FILE_NAME, { message: 'script must be a plain file name' })
  script?: string;
}
