import {
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  PayloadTooLargeException,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Transform } from 'node:stream';
import { JobStatus } from '../jobs/job-status';
import { JobStore } from '../jobs/job-store';
import { stagingJobOf } from './job-keys';
import { SignedUrls } from './signed-urls';
import { Storage } from './storage';

const MAX_UPLOAD_BYTES = 4 * 1024 * 1024 * 1024;
/**
 * A run's staging files take writes only while the run is out (its lease not yet completed or failed);
 * also when the user cancelled it mid-upload (the bridge then ends the lease; nothing reads those files).
 */
const WRITABLE_WHILE: readonly JobStatus[] = [JobStatus.Dispatched, JobStatus.Running, JobStatus.Cancelled];

/** Downloads and uploads through signed, expiring URLs only; anything else is 403. */
@ApiExcludeController()
@Controller('files')
export class FilesController {
  constructor(
    private readonly urls: SignedUrls,
    private readonly storage: Storage,
    private readonly jobs: JobStore,
  ) {}

  @Get(':key')
  async download(
    @Param('key') encoded: string,
    @Query() q: Record<string, unknown>,
    @Res() res: Response,
  ): Promise<void> {
    const key = this.urls.verify('GET', encoded, q.expires, q.signature);
    if (!key) throw new ForbiddenException('signature: expired or invalid URL');
    const head = await this.storage.head(key);
    if (!head) throw new NotFoundException('key: no such file');
    res.setHeader('Content-Length', String(head.size));
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const name = key.slice(key.lastIndexOf('/') + 1).replace(/[^A-Za-z0-9._-]/g, '_');
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    (await this.storage.get(key)).pipe(res);
  }

  @Put(':key')
  @HttpCode(201)
  async upload(@Param('key') encoded: string, @Query() q: Record<string, unknown>, @Req() req: Request) {
    const key = this.urls.verify('PUT', encoded, q.expires, q.signature);
    if (!key) throw new ForbiddenException('signature: expired or invalid URL');
    await this.stillWritable(key);
    let seen = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        seen += chunk.length;
        done(
          seen > MAX_UPLOAD_BYTES ? new PayloadTooLargeException(`body: larger than ${MAX_UPLOAD_BYTES} bytes`) : null,
          chunk,
        );
      },
    });
    const stored = await this.storage.put(key, req.pipe(limit));
    return { size: stored.size, sha256: stored.sha256 };
  }

  /**
   * Upload URLs are a bridge's, for its run's staging files: once the lease completed (the job is
   * UPLOADING, its files being verified) or ended otherwise, they refuse writes (409).
   */
  private async stillWritable(key: string): Promise<void> {
    const jobId = stagingJobOf(key);
    if (!jobId) throw new ForbiddenException("key: only a run's staging files are written through URLs");
    const status = await this.jobs.status(jobId);
    if (!status || !WRITABLE_WHILE.includes(status))
      throw new ConflictException(
        `key: the job's run is over (${status ?? 'no such job'}); its upload URLs no longer take writes`,
      );
  }
}
