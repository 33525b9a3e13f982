import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { ENGINES, type Engine } from '../jobs/job-status';
import { AcceptsTokens } from '../personal-tokens/token-scope';
import { EngineAvailability } from './engine-availability';

class EngineAvailableDto {
  @ApiProperty({ enum: ENGINES })
  engine!: Engine;

  @ApiProperty({ enum: ['md', 'qc'] })
  queue!: 'md' | 'qc';

  @ApiProperty({
    type: [String],
    example: ['xtb 6.5.1'],
    description: 'the versions that would run now, as jobs show them; empty when none is known before a run (g16)',
  })
  versions!: string[];

  @ApiProperty({ description: 'live local or Slurm pools that run it' })
  pools!: number;

  @ApiProperty({ description: 'live campus bridges that run it' })
  bridges!: number;
}

@ApiTags('jobs')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@AcceptsTokens('read')
@Controller('engines')
export class EnginesController {
  constructor(private readonly availability: EngineAvailability) {}

  @Get()
  @ApiOperation({
    summary:
      'The engines this server can run now: those some live pool or bridge offers, with their versions and how many offer each',
  })
  @ApiOkResponse({ type: [EngineAvailableDto] })
  async list(): Promise<EngineAvailableDto[]> {
    return this.availability.list();
  }
}
