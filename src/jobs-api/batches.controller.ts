import { BadRequestException, Controller, Get, Param, ParseUUIDPipe, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { AcceptsTokens } from '../personal-tokens/token-scope';
import { SignedUrls } from '../storage/signed-urls';
import { JobsQueryService } from './jobs-query.service';

@ApiTags('jobs')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@AcceptsTokens('read')
@Controller('batches')
export class BatchesController {
  constructor(
    private readonly query: JobsQueryService,
    private readonly urls: SignedUrls,
  ) {}

  @Get(':id')
  @ApiOperation({ summary: 'One own batch: job counts per status and links to its reports (at 90 % and 100 % finished)' })
  get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe({ version: '4', exceptionFactory: () => new BadRequestException(['id: must be a batch id (UUID v4)']) })) id: string,
  ) {
    return this.query.batch(user.id, id, this.urls);
  }
}
