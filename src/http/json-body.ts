import { json, type RequestHandler } from 'express';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './json-depth';

class TooDeepError extends Error {
  readonly status = 400;
  readonly type = 'entity.too.deep';
}

/**
 * express.json with its errors answered as JSON naming the problem (malformed JSON → 400,
 * too large → 413, nested deeper than MAX_JSON_DEPTH → 400 before any parse) instead of express's
 * HTML error page.
 */
export function jsonBody(limit: string): RequestHandler {
  const parse = json({
    limit,
    verify: (_req, _res, raw) => {
      if (jsonDepthExceeds(raw)) throw new TooDeepError();
    },
  });
  return (req, res, next) =>
    parse(req, res, (err?: unknown) => {
      if (!err) return next();
      const e = err as { status?: number; type?: string; message?: string };
      const status = e.status && e.status >= 400 && e.status < 500 ? e.status : 400;
      const message =
        e.type === 'entity.too.large'
          ? `body: larger than ${limit}`
          : e.type === 'entity.too.deep'
            ? `body: nested deeper than ${MAX_JSON_DEPTH} levels`
            : e.type === 'entity.parse.failed'
              ? 'body: malformed JSON'
              : `body: ${e.message ?? 'unreadable'}`;
      res
        .status(status)
        .json({ statusCode: status, error: status === 413 ? 'Payload Too Large' : 'Bad Request', message: [message] });
    });
}
