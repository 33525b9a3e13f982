import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { ROLES } from '../users/user.entity';
import type { AccessTokenClaims, AuthenticatedUser } from './authenticated-user';
import { sessionTokenOf } from './session-cookie';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who sent a request: a Bearer access token, else the browser's session cookie. A cookie-borne
 * request that changes something must come from this site (Origin, when the browser sends one,
 * names this host): SameSite=Strict plus this check keeps other sites from acting for a user.
 */
@Injectable()
export class RequestAuthenticator {
  constructor(private readonly jwt: JwtService) {}

  async authenticate(req: Request): Promise<AuthenticatedUser> {
    const header = req.headers.authorization;
    if (header) {
      const match = /^Bearer (\S+)$/.exec(header);
      if (!match || !JWT_SHAPE.test(match[1])) throw new UnauthorizedException('authorization: malformed Bearer token');
      return this.verify(match[1], 'authorization');
    }
    const session = sessionTokenOf(req);
    if (!session) throw new UnauthorizedException('authorization: missing Bearer token');
    if (!JWT_SHAPE.test(session)) throw new UnauthorizedException('session: malformed cookie, log in again');
    if (!SAFE_METHODS.has(req.method) && !this.sameSite(req)) throw new ForbiddenException('origin: a cross-site request may not use the session cookie');
    return this.verify(session, 'session');
  }

  private sameSite(req: Request): boolean {
    const origin = req.headers.origin;
    if (!origin) return true; // same-origin GET-less navigations and non-browser clients send none; SameSite=Strict covers browsers
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  }

  private async verify(token: string, what: 'authorization' | 'session'): Promise<AuthenticatedUser> {
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token, { algorithms: ['HS256'] });
    } catch (err) {
      const expired = (err as Error).name === 'TokenExpiredError';
      throw new UnauthorizedException(expired ? `${what}: token expired, log in again` : `${what}: invalid token`);
    }
    if (typeof claims.sub !== 'string' || !ROLES.includes(claims.role)) throw new UnauthorizedException(`${what}: invalid token`);
    return { id: claims.sub, role: claims.role };
  }
}
