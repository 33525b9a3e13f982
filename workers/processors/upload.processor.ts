import { Injectable } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { QueueName, type QueuePayloads } from '../../queues';
import { RateLimiter } from '../../src/limiter/rate-limiter';
import { StagedFileError, UploadService } from '../../src/results/upload.service';
import { passLimiter } from '../pass-limiter';
import type { JobContext, QueueHandler } from '../queue-handler';

/** A staged file that does not match its manifest is retried this often, then fails the job. */
const STAGED_FILE_ATTEMPTS = 3;

@Injectable()
export class UploadProcessor implements QueueHandler<QueueName.Upload> {
  readonly queue = QueueName.Upload;

  constructor(
    private readonly uploads: UploadService,
    private readonly limiter: RateLimiter,
  ) {}

  async handle(payload: QueuePayloads[QueueName.Upload], context: JobContext): Promise<string> {
    // every call to external storage passes the shared cap; a refusal gives the job back
    const calls = Math.min(
      await this.uploads.plannedCalls(payload.jobId).catch(() => 1),
      this.limiter.limitOf('external').limit,
    );
    await passLimiter(this.limiter, context, 'external', calls);
    try {
      return await this.uploads.upload(payload.jobId);
    } catch (err) {
      if (err instanceof StagedFileError && context.job.attemptsMade + 1 >= STAGED_FILE_ATTEMPTS)
        throw new UnrecoverableError(err.message);
      throw err;
    }
  }

  onFinalFailure(payload: QueuePayloads[QueueName.Upload], error: Error): Promise<void> {
    return this.uploads.fail(payload.jobId, error.message);
  }
}
