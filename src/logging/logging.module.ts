import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { CommonConfig } from '../config/common.config';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/** Keeps a caller's X-Request-Id when it is sane, else makes one; echoes it back. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** A URL with its `signature=` value hidden: a logged signed link must not be usable. */
export function redactSignature(url: string | undefined): string | undefined {
  return url?.replace(/([?&]signature=)[^&#]*/gi, '$1[redacted]');
}

/** JSON logs (pino; readable lines when stdout is a terminal) with a request id on every line logged while serving a request. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [CommonConfig],
      useFactory: (config: CommonConfig) => ({
        pinoHttp: {
          level: config.LOG_LEVEL,
          genReqId: requestId,
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              'res.headers["set-cookie"]',
              'req.query.signature',
            ],
            censor: '[redacted]',
          },
          serializers: { req: (req: { url?: string }) => ({ ...req, url: redactSignature(req.url) }) },
          autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/metrics' },
          // a person at a terminal reads lines, not JSON; anywhere else (files, journald, containers) JSON stays
          ...(process.stdout.isTTY
            ? {
                transport: {
                  target: 'pino-pretty',
                  options: {
                    singleLine: true,
                    translateTime: 'SYS:HH:MM:ss',
                    ignore: 'pid,hostname,req,res,responseTime',
                  },
                },
              }
            : {}),
        },
        // every route, in the form path-to-regexp 8 takes ('*' alone makes Nest warn at each start)
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
      }),
    }),
  ],
})
export class LoggingModule {}
