import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';

/** Seconds a client is asked to wait when PostgreSQL or Redis is away. */
const RETRY_AFTER_SECONDS = 5;

/** PostgreSQL error classes that mean "not now": connection exceptions (08), operator intervention (57), insufficient resources (53). */
const PG_UNAVAILABLE = /^(08|57|53)/;
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Connection is closed|Stream isn't writeable|Reached the max retries per request|max retries|Client has encountered a connection error/i;

/** Whether an error says that PostgreSQL or Redis is unreachable (or shedding load), not that the request was wrong. */
export function isUnavailable(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; driverError?: unknown; name?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (PG_UNAVAILABLE.test(code) || NETWORK.has(code) || e.name === 'MaxRetriesPerRequestError') return true;
    if (typeof e.message === 'string' && MESSAGE.test(e.message)) return true;
    e = (e.driverError ?? e.cause) as typeof e;
  }
  return false;
}

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
        res.status(503).json({ statusCode: 503, error: 'Service Unavailable', message: `service: the database or the queue is unreachable; retry in ${RETRY_AFTER_SECONDS} s` });
        return;
      }
    }
    super.catch(err, host);
  }
}
