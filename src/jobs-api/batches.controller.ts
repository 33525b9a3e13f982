import { BadRequestException, Controller, Get, Param, ParseUUIDPipe, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { AcceptsTokens } from '../personal-tokens/token-scope';
import { BatchExportService } from '../exports/batch-export.service';
import { ExportQuery } from '../exports/export-query';
import { writeExport } from '../exports/export-writer';
import { SignedUrls } from '../storage/signed-urls';
import { JobsQueryService } from './jobs-query.service';

const BATCH_ID = new ParseUUIDPipe({
  version: '4',
  exceptionFactory: () => new BadRequestException(['id: must be a batch id (UUID v4)']),
});

@ApiTags('jobs')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@AcceptsTokens('read')
@Controller('batches')
export class BatchesController {
  constructor(
    private readonly query: JobsQueryService,
    private readonly urls: SignedUrls,
    private readonly exports: BatchExportService,
  ) {}

  @Get(':id/export')
  @ApiOperation({
    summary:
      "The batch's results as one table (CSV or JSON) in submission order, streamed: job, its labels, status, engine and version, the inputs that vary, every reported value with its unit, the error",
  })
  async export(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', BATCH_ID) id: string,
    @Query() query: ExportQuery,
    @Res() res: Response,
  ): Promise<void> {
    const columns = await this.exports.columns(user.id, id);
    await writeExport(res, this.exports, id, columns, query.format);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'One own batch: job counts per status and links to its reports (at 90 % and 100 % finished)',
  })
  get(@CurrentUser() user: AuthenticatedUser, @Param('id', BATCH_ID) id: string) {
    return this.query.batch(user.id, id, this.urls);
  }
}
