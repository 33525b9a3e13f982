import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Paths the master answers itself; everything else under / is the web app's (client-side routes). */
const SERVER_PATHS = /^\/(api|admin|health|metrics|docs)(\/|$)/;

const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/**
 * Where `npm run build` puts the web app: dist/web, seen from dist/src/web (built) or src/web
 * (tests from source; the repo's web/ beside it is the app's source, not a build: no assets/).
 */
export function webAppDir(): string | null {
  const candidates = [join(__dirname, '..', '..', 'web'), join(__dirname, '..', '..', 'dist', 'web')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')) && existsSync(join(dir, 'assets'))) ?? null;
}

/**
 * Serves the chemists' web app (web/, React + Vite) at /: hashed assets cached for a year,
 * index.html for every client-side route, never cached, with a strict Content-Security-Policy.
 */
export function mountWebApp(app: INestApplication): void {
  const dir = webAppDir();
  const express = app as NestExpressApplication;
  const headers = (res: Response) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
  };
  if (dir)
    express.useStaticAssets(join(dir, 'assets'), { prefix: '/assets/', immutable: true, maxAge: '365d', index: false });
  express.use((req: Request, res: Response, next: NextFunction) => {
    if (
      (req.method !== 'GET' && req.method !== 'HEAD') ||
      SERVER_PATHS.test(req.path) ||
      req.path.startsWith('/assets/')
    )
      return next();
    if (!req.accepts('html')) return next();
    headers(res);
    if (!dir) return res.status(503).type('text/plain').send('The web app is not built: run npm run build.');
    res.setHeader('Cache-Control', 'no-cache');
    return res.sendFile(join(dir, 'index.html'));
  });
}
