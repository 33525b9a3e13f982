import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { ENGINES, type Engine } from '../jobs/job-status';
import { ReuseBlocks } from '../reuse/reuse-blocks.service';
import { adminOnly } from './admin-only';

export class EngineVersionReuseDto {
  @ApiProperty({ enum: ENGINES })
  @IsIn(ENGINES, { message: `engine: must be one of ${ENGINES.join(', ')}` })
  engine!: Engine;

  @ApiProperty({ example: 'xtb 6.5.1', description: 'as jobs show it (engineVersion)' })
  @IsString({ message: 'engineVersion: must be text' })
  @MaxLength(200, { message: 'engineVersion: at most 200 characters' })
  engineVersion!: string;

  @ApiProperty({ description: "false: this version's results are no longer reused (identical jobs run again)" })
  @IsBoolean({ message: 'reuse: must be true or false' })
  reuse!: boolean;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString({ message: 'reason: must be text' })
  @MaxLength(500, { message: 'reason: at most 500 characters' })
  reason?: string;
}

/** Admins: which engine versions computed results, and turning reuse of a faulty one's results off. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/engine-versions')
@UseGuards(JwtAuthGuard)
export class AdminReuseController {
  constructor(private readonly blocks: ReuseBlocks) {}

  @Get()
  @ApiOperation({ summary: 'Engine versions that completed jobs, and whether their results are reused (admins)' })
  list(@CurrentUser() caller: AuthenticatedUser) {
    adminOnly(caller, 'manage reuse');
    return this.blocks.list();
  }

  @Post('reuse')
  @HttpCode(200)
  @ApiOperation({ summary: "Turn reuse of one engine version's results off or back on (admins)" })
  async set(@CurrentUser() caller: AuthenticatedUser, @Body() body: EngineVersionReuseDto) {
    adminOnly(caller, 'manage reuse');
    await this.blocks.set(body.engine, body.engineVersion, body.reuse, `user:${caller.id}`, body.reason);
    return this.blocks.list();
  }
}
