import { SetMetadata } from '@nestjs/common';

/** What a personal API token may do: `read` (GET calls, the event stream) or `submit` (read, submit and cancel). */
export type TokenScope = 'read' | 'submit';
export const TOKEN_SCOPES: readonly TokenScope[] = ['read', 'submit'];

export const TOKEN_SCOPE_KEY = 'molq:personal-token-scope';

/**
 * Lets personal API tokens call a handler (or every handler of a controller) with at least this
 * scope. Anything not marked takes signed-in users only: account, token and admin calls, Bull
 * Board, the worker API.
 */
export const AcceptsTokens = (scope: TokenScope) => SetMetadata(TOKEN_SCOPE_KEY, scope);

export function scopeCovers(held: TokenScope, needed: TokenScope): boolean {
  return held === 'submit' || needed === 'read';
}
