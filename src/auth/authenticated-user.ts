import type { Role } from '../users/user.entity';

/** Who is calling, as proven by a verified access token. */
export interface AuthenticatedUser {
  id: string;
  role: Role;
}

export interface AccessTokenClaims {
  sub: string;
  role: Role;
}
