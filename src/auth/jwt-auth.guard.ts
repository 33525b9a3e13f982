import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { scopeCovers, TOKEN_SCOPE_KEY, type TokenScope } from '../personal-tokens/token-scope';
import type { AuthenticatedUser } from './authenticated-user';
import { RequestAuthenticator } from './request-authenticator';

export type AuthedRequest = Request & { user: AuthenticatedUser };

/**
 * Requires a valid Bearer access token (or the browser's session cookie); puts {id, role} on the
 * request. A personal API token passes only where the handler says @AcceptsTokens, with a scope
 * that covers it.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly authenticator: RequestAuthenticator,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    const user = await this.authenticator.authenticateApi(req);
    if (user.token) {
      const needed = this.reflector.getAllAndOverride<TokenScope | undefined>(TOKEN_SCOPE_KEY, [
        context.getHandler(),
        context.getClass(),
      ]);
      if (!needed) throw new ForbiddenException('authorization: API tokens cannot do this; sign in');
      if (!scopeCovers(user.token.scope, needed))
        throw new ForbiddenException(
          `authorization: this API token's scope is ${user.token.scope}; this needs a ${needed} token`,
        );
    }
    req.user = user;
    return true;
  }
}
