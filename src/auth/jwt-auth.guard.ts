import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthenticatedUser } from './authenticated-user';
import { RequestAuthenticator } from './request-authenticator';

export type AuthedRequest = Request & { user: AuthenticatedUser };

/** Requires a valid Bearer access token (or the browser's session cookie); puts {id, role} on the request. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly authenticator: RequestAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    req.user = await this.authenticator.authenticate(req);
    return true;
  }
}
