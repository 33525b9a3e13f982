import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import type { AccessTokenClaims, AuthenticatedUser } from './authenticated-user';
import { ROLES } from '../users/user.entity';

export type AuthedRequest = Request & { user: AuthenticatedUser };

/** Requires a valid Bearer access token; puts {id, role} on the request. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization;
    if (!header) throw new UnauthorizedException('authorization: missing Bearer token');
    const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(header);
    if (!match) throw new UnauthorizedException('authorization: malformed Bearer token');
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(match[1], { algorithms: ['HS256'] });
    } catch (err) {
      const expired = (err as Error).name === 'TokenExpiredError';
      throw new UnauthorizedException(expired ? 'authorization: token expired, log in again' : 'authorization: invalid token');
    }
    if (typeof claims.sub !== 'string' || !ROLES.includes(claims.role)) throw new UnauthorizedException('authorization: invalid token');
    req.user = { id: claims.sub, role: claims.role };
    return true;
  }
}
