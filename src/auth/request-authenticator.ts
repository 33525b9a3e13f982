import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { PersonalTokensService } from '../personal-tokens/personal-tokens.service';
import { ROLES, type User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import type { AccessTokenClaims, AuthenticatedUser } from './authenticated-user';
import { sessionTokenOf } from './session-cookie';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Who sent a request: a Bearer access token, else the browser's session cookie (and, for the
 * API only, a personal API token: authenticateApi). A cookie-borne
 * request that changes something must come from this site (Origin, when the browser sends one,
 * names this host): SameSite=Strict plus this check keeps other sites from acting for a user.
 */
@Injectable()
export class RequestAuthenticator {
  constructor(
    private readonly jwt: JwtService,
    private readonly users: UsersService,
    private readonly personalTokens: PersonalTokensService,
  ) {}

  /**
   * For the REST API and the event stream: a personal API token (Bearer mqu_…) as well as what
   * authenticate() takes. Whether the handler accepts tokens, and with which scope, is the guard's.
   */
  async authenticateApi(req: Request): Promise<AuthenticatedUser> {
    const presented = /^Bearer (mqu_\S*)$/.exec(req.headers.authorization ?? '')?.[1];
    if (presented === undefined) return this.authenticate(req);
    const token = await this.personalTokens.verify(presented);
    if (!token) throw new UnauthorizedException('authorization: unknown, revoked or expired API token');
    const user = await this.account(token.userId, 'authorization');
    return {
      id: user.id,
      role: user.role,
      permissions: user.permissions,
      expiresAt: Number.MAX_SAFE_INTEGER,
      token: { id: token.id, scope: token.scope },
    };
  }

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
    if (!SAFE_METHODS.has(req.method) && !this.sameSite(req))
      throw new ForbiddenException('origin: a cross-site request may not use the session cookie');
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
    if (
      typeof claims.sub !== 'string' ||
      !/^[0-9a-f-]{36}$/.test(claims.sub) ||
      !ROLES.includes(claims.role) ||
      !Number.isInteger(claims.tv)
    ) {
      throw new UnauthorizedException(`${what}: invalid token`);
    }
    // the account as it is now: a deleted, disabled or signed-out account, or a changed password or role, ends its tokens at once
    const user = await this.account(claims.sub, what, claims.tv);
    return {
      id: user.id,
      role: user.role,
      permissions: user.permissions,
      expiresAt: claims.exp ?? Number.MAX_SAFE_INTEGER,
    };
  }

  /**
   * The account as it is now: it must exist, still accept a sign-in of version `tokenVersion` (JWTs; a logout,
   * password or role change bumps it) and be active, whatever credential named it.
   */
  private async account(id: string, what: string, tokenVersion?: number): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new UnauthorizedException(`${what}: the account no longer exists`);
    if (tokenVersion !== undefined && user.tokenVersion !== tokenVersion)
      throw new UnauthorizedException(`${what}: token revoked (signed out, password or role changed), log in again`);
    if (user.status !== 'active')
      throw new ForbiddenException(
        `account: ${user.status === 'pending' ? "waiting for an admin's approval" : 'disabled'}`,
      );
    return user;
  }
}
