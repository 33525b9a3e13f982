import { parse, serialize } from 'cookie';
import type { Request, Response } from 'express';

/**
 * The browser session: the same access token as the Bearer one, in an HttpOnly, SameSite=Strict
 * cookie (Secure behind TLS), for what a browser cannot add a header to: Bull Board pages and
 * server-sent event streams. Scripts never see it.
 */
export const SESSION_COOKIE = 'molq_session';

const secure = (req: Request) => req.secure || req.headers['x-forwarded-proto'] === 'https';

export function sessionTokenOf(req: Request): string | undefined {
  const header = req.headers.cookie;
  return header ? parse(header)[SESSION_COOKIE] : undefined;
}

export function setSessionCookie(req: Request, res: Response, token: string, maxAgeSeconds: number): void {
  res.append(
    'Set-Cookie',
    serialize(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: secure(req),
      path: '/',
      maxAge: maxAgeSeconds,
    }),
  );
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.append(
    'Set-Cookie',
    serialize(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', secure: secure(req), path: '/', maxAge: 0 }),
  );
}
