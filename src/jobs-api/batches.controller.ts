import { BadRequestException, Controller, Get, Param, ParseUUIDPipe, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { JobsQueryService } from './jobs-query.service';

@ApiTags('jobs')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('batches')
export class BatchesController {
  constructor(private readonly query: JobsQueryService) {}

  @Get(':id')
  @ApiOperation({ summary: 'One own batch with its job counts per status' })
  get(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe({ version: '4', exceptionFactory: () => new BadRequestException(['id: must be a batch id (UUID v4)']) })) id: string,
  ) {
    return this.query.batch(user.id, id);
  }
}
