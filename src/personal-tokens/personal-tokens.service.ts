import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { filter, Subject, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import type { CreatePersonalTokenDto } from './dto/create-personal-token.dto';
import type { TokenScope } from './token-scope';

/** A personal token's secret: `mqu_` + 12 hex (the look-up prefix) + `_` + 43 base64url (256 bits). */
export const PERSONAL_TOKEN = /^mqu_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const MAX_ACTIVE_PER_USER = 50;
/** "Last used" is written at most this often per token: a script may call many times a second. */
const LAST_USED_EVERY_MS = 60_000;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export interface PersonalTokenView {
  id: string;
  name: string;
  scope: TokenScope;
  prefix: string;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  createdAt: Date;
}

export interface VerifiedPersonalToken {
  id: string;
  userId: string;
  scope: TokenScope;
}

const VIEW = `id, name, scope, token_prefix AS prefix, expires_at AS "expiresAt", last_used_at AS "lastUsedAt", created_at AS "createdAt"`;

/**
 * Users' API tokens for scripts. The secret is returned once, at creation; the database keeps
 * its SHA-256. Every request looks the token up, so a revocation or an expiry ends it at once.
 */
@Injectable()
export class PersonalTokensService {
  private readonly lastUsedWritten = new Map<string, number>();
  private readonly revocations = new Subject<string>();

  constructor(private readonly dataSource: DataSource) {}

  async create(userId: string, dto: CreatePersonalTokenDto): Promise<PersonalTokenView & { token: string }> {
    const [{ active }] = await this.dataSource.query(
      'SELECT count(*)::int AS active FROM personal_tokens WHERE user_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())',
      [userId],
    );
    if (active >= MAX_ACTIVE_PER_USER)
      throw new ConflictException([`name: you have ${active} active tokens, the most there may be; revoke one first`]);
    const prefix = randomBytes(6).toString('hex');
    const token = `mqu_${prefix}_${randomBytes(32).toString('base64url')}`;
    const [row]: PersonalTokenView[] = await this.dataSource.query(
      `INSERT INTO personal_tokens (user_id, name, scope, token_prefix, token_hash, expires_at)
       VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::int IS NULL THEN NULL ELSE now() + make_interval(days => $6::int) END)
       RETURNING ${VIEW}`,
      [userId, dto.name, dto.scope, prefix, digest(token), dto.expiresInDays ?? null],
    );
    return { ...row, token };
  }

  /** The user's tokens that still work, newest first (never the secrets). */
  list(userId: string): Promise<PersonalTokenView[]> {
    return this.dataSource.query(
      `SELECT ${VIEW} FROM personal_tokens WHERE user_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now()) ORDER BY created_at DESC`,
      [userId],
    );
  }

  async revoke(userId: string, id: string): Promise<void> {
    const revoked = await this.dataSource.query(
      'UPDATE personal_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id',
      [id, userId],
    );
    if (revoked[0].length === 0) throw new NotFoundException(['id: no such token (or already revoked)']);
    this.revocations.next(id);
  }

  /** Ends every token of the user (a password change): they stop at once, and their open streams close. */
  async revokeAllOf(userId: string): Promise<void> {
    const [revoked]: [{ id: string }[], number] = await this.dataSource.query(
      'UPDATE personal_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id',
      [userId],
    ); // an UPDATE … RETURNING answers [rows, count]
    for (const { id } of revoked) this.revocations.next(id);
  }

  /** Emits when the token is revoked in this process (a revocation elsewhere is found by the stream's periodic check). */
  revokedHere(id: string): Observable<string> {
    return this.revocations.pipe(filter((revoked) => revoked === id));
  }

  /** The token a request presents, if it is one of ours, not revoked and not expired. */
  async verify(presented: string): Promise<VerifiedPersonalToken | null> {
    const match = PERSONAL_TOKEN.exec(presented);
    if (!match) return null;
    const [row]: { id: string; user_id: string; scope: TokenScope; token_hash: string }[] = await this.dataSource.query(
      'SELECT id, user_id, scope, token_hash FROM personal_tokens WHERE token_prefix = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())',
      [match[1]],
    );
    if (!row || !timingSafeEqual(Buffer.from(row.token_hash, 'hex'), Buffer.from(digest(presented), 'hex')))
      return null;
    if (Date.now() - (this.lastUsedWritten.get(row.id) ?? 0) >= LAST_USED_EVERY_MS) {
      this.lastUsedWritten.set(row.id, Date.now());
      await this.dataSource.query('UPDATE personal_tokens SET last_used_at = now() WHERE id = $1', [row.id]);
    }
    return { id: row.id, userId: row.user_id, scope: row.scope };
  }
}
