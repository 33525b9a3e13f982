import type { TokenScope } from '../personal-tokens/token-scope';
import type { Permission, Role } from '../users/user.entity';

/** Who is calling: proven by a verified access token, as the account is now (role and grants read on each request). */
export interface AuthenticatedUser {
  id: string;
  role: Role;
  permissions: Permission[];
  /** When the access token stops working (seconds since the epoch). */
  expiresAt: number;
  /** Set when the caller used a personal API token (not a sign-in): which one, and its scope. */
  token?: { id: string; scope: TokenScope };
}

export interface AccessTokenClaims {
  sub: string;
  role: Role;
  /** The account's token version when the token was made; a bumped version revokes it. */
  tv: number;
  exp?: number;
}
