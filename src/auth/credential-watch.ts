import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { EMPTY, filter, interval, merge, switchMap, take, type Observable } from 'rxjs';
import { PersonalTokensService } from '../personal-tokens/personal-tokens.service';
import { UsersService } from '../users/users.service';
import type { AuthenticatedUser } from './authenticated-user';
import { RequestAuthenticator } from './request-authenticator';

/** How often an open stream's credential is checked again (a change made through another master shows by then). */
export const CREDENTIAL_CHECK_MS = 5_000;

/**
 * For long-lived answers (the event stream): whether the request's credential still authenticates,
 * asked again exactly as on arrival (RequestAuthenticator: token, token version, account status,
 * personal token revoked or expired). Checked every CREDENTIAL_CHECK_MS, and at once when this
 * process changes the account (sign-out, password, role, status) or revokes the personal token.
 */
@Injectable()
export class CredentialWatch {
  constructor(
    private readonly authenticator: RequestAuthenticator,
    private readonly users: UsersService,
    private readonly tokens: PersonalTokensService,
  ) {}

  /** Emits once, when the credential `req` came with no longer authenticates `user`. */
  ended(req: Request, user: AuthenticatedUser): Observable<unknown> {
    const changedHere = merge(
      this.users.changes.pipe(filter((id) => id === user.id)),
      user.token ? this.tokens.revokedHere(user.token.id) : EMPTY,
    );
    return merge(changedHere, interval(CREDENTIAL_CHECK_MS)).pipe(
      switchMap(() => this.stillAuthenticates(req)), // a trigger during a check checks again: the latest state counts
      filter((ok) => !ok),
      take(1),
    );
  }

  private async stillAuthenticates(req: Request): Promise<boolean> {
    try {
      await this.authenticator.authenticateApi(req);
      return true;
    } catch (err) {
      // refused (401/403) ends it; PostgreSQL away for a moment does not
      return !(err instanceof UnauthorizedException || err instanceof ForbiddenException);
    }
  }
}
