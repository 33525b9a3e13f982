import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { MasterConfig } from '../config/master.config';

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * /metrics and /docs: with METRICS_TOKEN, a Bearer of it from anywhere; without, only callers on
 * this host (the socket's own address: a forwarded header cannot claim it). Anyone else gets 401.
 */
export function opsGate(config: MasterConfig) {
  const token = config.METRICS_TOKEN ? Buffer.from(`Bearer ${config.METRICS_TOKEN}`) : null;
  return (req: Request, res: Response, next: NextFunction): void => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (
      token
        ? given.length === token.length && timingSafeEqual(given, token)
        : LOOPBACK.test(req.socket.remoteAddress ?? '')
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
