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
  UploadedFiles,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { AcceptsTokens } from '../personal-tokens/token-scope';
import { validateBody } from '../http/validate-body';
import { SignedUrls } from '../storage/signed-urls';
import { BulkSubmitDto } from '../submissions/dto/bulk-submit.dto';
import { CreateJobDto } from '../submissions/dto/create-job.dto';
import { IDEMPOTENCY_WINDOW_HOURS, idempotencyOf } from '../submissions/idempotency-key';
import { SubmissionService } from '../submissions/submission.service';
import { JobCancellationService } from './job-cancellation.service';
import { JobRetryService } from './job-retry.service';
import { RetryJobsDto } from './retry-jobs.dto';
import { JobsQueryService } from './jobs-query.service';
import { ListJobsQuery } from './list-jobs.query';
import { UPLOAD_OPTIONS, checkUploads, removeUploads, screenUploadedScript } from './upload-limits';

const IDEMPOTENCY_HEADER = ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: `1-255 visible ASCII characters (a UUID): the same key with the same request within ${IDEMPOTENCY_WINDOW_HOURS} h answers as the first did (header Idempotent-Replayed: true) and submits nothing; with another request, 422`,
});
const ARTIFACT_ID = new ParseUUIDPipe({
  exceptionFactory: () => new BadRequestException(['artifactId: must be an artifact id (UUID)']),
});
const UUID = new ParseUUIDPipe({
  version: '4',
  exceptionFactory: () => new BadRequestException(['id: must be a job id (UUID v4)']),
});

@ApiTags('jobs')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@AcceptsTokens('read')
@Controller('jobs')
export class JobsController {
  constructor(
    private readonly submissions: SubmissionService,
    private readonly query: JobsQueryService,
    private readonly cancellation: JobCancellationService,
    private readonly retries: JobRetryService,
    private readonly urls: SignedUrls,
  ) {}

  @Post()
  @AcceptsTokens('submit')
  @HttpCode(202)
  @UseInterceptors(AnyFilesInterceptor(UPLOAD_OPTIONS))
  @ApiConsumes('application/json', 'multipart/form-data')
  @ApiBody({ type: CreateJobDto, description: 'JSON, or multipart with the JSON in field "spec" and files in "files"' })
  @ApiOperation({ summary: 'Submit one job; 202 with its id and Location' })
  @IDEMPOTENCY_HEADER
  async submit(
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Body() body: unknown,
    @UploadedFiles() files: Express.Multer.File[] | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    let submitted;
    try {
      const multipart = Boolean(req.is('multipart/form-data'));
      const dto = validateBody(CreateJobDto, multipart ? parseSpecField(body) : body);
      const uploads = checkUploads(files ?? []);
      if (dto.md?.script) await screenUploadedScript(user, dto.md.script, uploads);
      submitted = await this.submissions.submit(
        user.id,
        dto,
        uploads,
        idempotencyOf(req.headers['idempotency-key'], body, files),
      );
    } finally {
      await removeUploads(files);
    }
    const { replayed, ...answer } = submitted;
    const location = `/api/v1/jobs/${answer.id}`;
    res.setHeader('Location', location);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return { ...answer, location };
  }

  @Post('bulk')
  @AcceptsTokens('submit')
  @HttpCode(202)
  @ApiOperation({ summary: 'Submit up to 1,000 jobs as one batch (all or none)' })
  @IDEMPOTENCY_HEADER
  async bulk(
    @CurrentUser() user: AuthenticatedUser,
    @Req() req: Request,
    @Body() body: BulkSubmitDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const idem = idempotencyOf(req.headers['idempotency-key'], req.body);
    const { replayed, ...result } = await this.submissions.submitBulk(user.id, body.name, body.jobs, idem, body.reuse);
    res.setHeader('Location', `/api/v1/batches/${result.batchId}`);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return result;
  }

  @Post('retry')
  @AcceptsTokens('submit')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Run failed jobs again (of a batch, listed, or by engine, error text, name, dates): each goes back to PENDING as a new attempt on its timeline',
  })
  retry(@CurrentUser() user: AuthenticatedUser, @Body() body: RetryJobsDto) {
    return this.retries.retry(user, body);
  }

  @Get()
  @ApiOperation({ summary: "Own jobs, newest first (one batch's: in submission order), filtered and paginated" })
  list(@CurrentUser() user: AuthenticatedUser, @Query() query: ListJobsQuery) {
    return this.query.list(user.id, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One own job: spec, labels, status, progress, events, artifacts' })
  get(@CurrentUser() user: AuthenticatedUser, @Param('id', UUID) id: string) {
    return this.query.get(user.id, id);
  }

  @Get(':id/artifacts/:artifactId/link')
  @ApiOperation({ summary: 'A signed download URL for one artifact, valid 15 minutes' })
  link(
    @CurrentUser() user: AuthenticatedUser,
    @Param('id', UUID) id: string,
    @Param('artifactId', ARTIFACT_ID) artifactId: string,
  ) {
    return this.query.artifactLink(user.id, id, artifactId, this.urls);
  }

  @Post(':id/cancel')
  @AcceptsTokens('submit')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel an own job that has not finished' })
  cancel(@CurrentUser() user: AuthenticatedUser, @Param('id', UUID) id: string) {
    return this.cancellation.cancel(user.id, id);
  }
}

function parseSpecField(body: unknown): unknown {
  const spec = (body as { spec?: unknown } | undefined)?.spec;
  const extra = Object.keys((body as object) ?? {}).filter((k) => k !== 'spec');
  if (extra.length > 0)
    throw new BadRequestException([`${extra[0]}: unexpected multipart field (send the job as JSON in "spec")`]);
  if (typeof spec !== 'string')
    throw new BadRequestException(['spec: multipart submissions carry the job as JSON in the "spec" field']);
  try {
    return JSON.parse(spec);
  } catch {
    throw new BadRequestException(['spec: is not valid JSON']);
  }
}
