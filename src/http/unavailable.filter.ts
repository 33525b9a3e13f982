import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { isUnavailable } from '../common/unavailable';

/** Seconds a client is asked to wait when PostgreSQL or Redis is away. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Every error the other filters leave: PostgreSQL or Redis away answers 503 with Retry-After
 * (a client should come back, and nothing it sent was wrong); anything else as Nest would.
 */
@Catch()
export class UnavailableFilter extends BaseExceptionFilter {
  override catch(err: unknown, host: ArgumentsHost): void {
    if (!(err instanceof HttpException) && isUnavailable(err) && host.getType() === 'http') {
      const res = host.switchToHttp().getResponse<Response>();
      if (!res.headersSent) {
        res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
        res.status(503).json({
          statusCode: 503,
          error: 'Service Unavailable',
          message: `service: the database or the queue is unreachable; retry in ${RETRY_AFTER_SECONDS} s`,
        });
        return;
      }
    }
    super.catch(err, host);
  }
}
