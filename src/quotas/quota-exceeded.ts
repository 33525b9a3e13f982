import { HttpException, HttpStatus } from '@nestjs/common';

/** 429 naming the quota (its variable) and when to try again. */
export class QuotaExceeded extends HttpException {
  constructor(message: string, retryAfterSeconds?: number) {
    super(
      {
        statusCode: 429,
        error: 'Too Many Requests',
        message: `quota: ${message}`,
        ...(retryAfterSeconds ? { retryAfter: retryAfterSeconds } : {}),
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
