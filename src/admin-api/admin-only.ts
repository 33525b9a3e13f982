import { ForbiddenException } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/authenticated-user';

/** Refuses anyone but an admin, saying what only admins may do. */
export function adminOnly(caller: AuthenticatedUser, what = 'manage accounts'): void {
  if (caller.role !== 'admin') throw new ForbiddenException(`role: only admins ${what}`);
}
