import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { MasterConfig } from '../config/master.config';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * The ops pages, however spelled: /metrics, /docs, /docs-json, /docs-yaml, /docs/… with any case,
 * trailing or doubled slashes (Express routes case-insensitively and Swagger serves several paths).
 */
const OPS_PATH = /^\/+(metrics|docs)(?=$|[-/.])/i;

/**
 * /metrics and /docs: with METRICS_TOKEN, a Bearer of it from anywhere; without, only callers on
 * this host. "The caller" is `req.ip`: the socket's address, or, when that is a trusted proxy
 * (TRUSTED_PROXIES, Express's trust proxy), the client the proxy names in X-Forwarded-For; so a
 * remote client behind a same-host nginx is not taken for a local one, and an untrusted sender's
 * header counts for nothing. Anyone else gets 401. Mounted on every path; it passes other paths on.
 */
export function opsGate(config: MasterConfig) {
  const token = config.METRICS_TOKEN ? Buffer.from(`Bearer ${config.METRICS_TOKEN}`) : null;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!OPS_PATH.test(req.path)) return next();
    const given = Buffer.from(req.headers.authorization ?? '');
    if (
      token
        ? given.length === token.length && timingSafeEqual(given, token)
        : LOOPBACK.test(req.ip ?? req.socket.remoteAddress ?? '')
    )
      return next();
    res.status(401).json({
      statusCode: 401,
      message: token
        ? 'authorization: /metrics and /docs need the METRICS_TOKEN bearer'
        : 'authorization: /metrics and /docs answer only on this host (set METRICS_TOKEN for remote scrapes)',
    });
  };
}
