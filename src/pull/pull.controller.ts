import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClaimDto, CompleteDto, FailDto, HeartbeatDto, PendingQuery, UploadUrlsDto } from './dto/pull.dto';
import { PullService } from './pull.service';
import { WorkerTokenGuard, type WorkerRequest } from './worker-token.guard';

const JOB_ID = new ParseUUIDPipe({
  version: '4',
  exceptionFactory: () => new BadRequestException(['id: must be a job id (UUID v4)']),
});

@ApiTags('workers (bridges)')
@ApiBearerAuth()
@UseGuards(WorkerTokenGuard)
@Controller('workers/jobs')
export class PullController {
  constructor(private readonly pull: PullService) {}

  @Post('claim')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lease jobs: answers as soon as one is available, or with none after the long-poll wait' })
  claim(@Req() req: WorkerRequest, @Body() body: ClaimDto, @Res({ passthrough: true }) res: Response) {
    // a bridge that hangs up mid-poll must not be handed jobs: they go straight back
    let closed = false;
    res.on('close', () => (closed = !res.writableFinished));
    return this.pull.claim(req.workerToken, body, () => closed);
  }

  @Post(':id/heartbeat')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Renew the lease; carries scheduler id/state and progress; says whether the user cancelled',
  })
  heartbeat(@Req() req: WorkerRequest, @Param('id', JOB_ID) id: string, @Body() body: HeartbeatDto) {
    return this.pull.heartbeat(req.workerToken, id, body);
  }

  @Post(':id/upload-urls')
  @HttpCode(200)
  @ApiOperation({ summary: 'Signed PUT URLs for result files' })
  uploadUrls(@Req() req: WorkerRequest, @Param('id', JOB_ID) id: string, @Body() body: UploadUrlsDto) {
    return this.pull.uploadUrls(req.workerToken, id, body);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @ApiOperation({ summary: 'End the lease with the results manifest; the job moves to UPLOADING' })
  complete(@Req() req: WorkerRequest, @Param('id', JOB_ID) id: string, @Body() body: CompleteDto) {
    return this.pull.complete(req.workerToken, id, body);
  }

  @Post(':id/fail')
  @HttpCode(200)
  @ApiOperation({ summary: 'End the lease with a failure, retryable or not' })
  fail(@Req() req: WorkerRequest, @Param('id', JOB_ID) id: string, @Body() body: FailDto) {
    return this.pull.fail(req.workerToken, id, body);
  }

  @Get('pending')
  @ApiOperation({ summary: "Read-only view of waiting jobs in this token's queues" })
  pending(@Req() req: WorkerRequest, @Query() query: PendingQuery) {
    return this.pull.pending(req.workerToken, query.job_type, query.limit);
  }
}
