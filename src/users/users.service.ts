import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { passwordHasher } from '../auth/password-hasher';
import { User, type Permission, type Role, type UserStatus } from './user.entity';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class UsersService {
  private readonly changed = new Subject<string>();
  /** Ids of accounts whose sign-in may have ended here (status, role, token version, password): open streams check at once. */
  readonly changes: Observable<string> = this.changed.asObservable();

  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(User);
  }

  async create(email: string, password: string, role: Role = 'user', status: UserStatus = 'active'): Promise<User> {
    const passwordHash = await passwordHasher.hash(password);
    try {
      const saved = await this.repo.save(this.repo.create({ email: email.toLowerCase(), passwordHash, role, status }));
      return this.repo.findOneByOrFail({ id: saved.id });
    } catch (err) {
      if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new ConflictException('email: an account with this email already exists');
      }
      throw err;
    }
  }

  /** The user with its password hash, for login only. */
  findWithHash(email: string): Promise<User | null> {
    return this.repo
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.email = :email', { email: email.toLowerCase() })
      .getOne();
  }

  findById(id: string): Promise<User | null> {
    return this.repo.findOneBy({ id });
  }

  private async byEmail(email: string): Promise<User> {
    const user = await this.repo.findOneBy({ email: email.toLowerCase() });
    if (!user) throw new NotFoundException(`email: no account ${email}`);
    return user;
  }

  /** A new role; the account's tokens are revoked (they carry the old one). */
  async setRole(email: string, role: Role): Promise<User> {
    const user = await this.byEmail(email);
    await this.repo.update({ id: user.id }, { role, tokenVersion: () => 'token_version + 1' });
    this.changed.next(user.id);
    return this.repo.findOneByOrFail({ id: user.id });
  }

  /** active (approve), pending, disabled; disabling revokes every token. */
  async setStatus(email: string, status: UserStatus): Promise<User> {
    const user = await this.byEmail(email);
    await this.repo.update(
      { id: user.id },
      { status, ...(status === 'active' ? {} : { tokenVersion: () => 'token_version + 1' }) },
    );
    this.changed.next(user.id);
    return this.repo.findOneByOrFail({ id: user.id });
  }

  async grant(email: string, permission: Permission): Promise<User> {
    const user = await this.byEmail(email);
    await this.dataSource.query(
      `UPDATE users SET permissions = array_append(permissions, $2) WHERE id = $1 AND NOT ($2 = ANY(permissions))`,
      [user.id, permission],
    );
    return this.repo.findOneByOrFail({ id: user.id });
  }

  async revoke(email: string, permission: Permission): Promise<User> {
    const user = await this.byEmail(email);
    await this.dataSource.query(`UPDATE users SET permissions = array_remove(permissions, $2) WHERE id = $1`, [
      user.id,
      permission,
    ]);
    return this.repo.findOneByOrFail({ id: user.id });
  }

  /** Ends every token of the account (sign-out everywhere). */
  async revokeTokens(id: string): Promise<void> {
    await this.repo.update({ id }, { tokenVersion: () => 'token_version + 1' });
    this.changed.next(id);
  }

  /** A new password; every token of the account is revoked. */
  async setPassword(id: string, password: string): Promise<void> {
    await this.repo.update(
      { id },
      { passwordHash: await passwordHasher.hash(password), tokenVersion: () => 'token_version + 1' },
    );
    this.changed.next(id);
  }

  /**
   * The account's status, in the caller's transaction, its row share-locked until that commits: a
   * dispatch reading `active` finishes before a disable (which then cancels what still waits) goes on.
   */
  async statusWithin(m: EntityManager, id: string): Promise<UserStatus | undefined> {
    const [row] = await m.query('SELECT status FROM users WHERE id = $1 FOR SHARE', [id]);
    return row?.status;
  }

  async emailOf(id: string): Promise<string> {
    const user = await this.repo.findOneBy({ id });
    if (!user) throw new NotFoundException('id: no such account');
    return user.email;
  }

  list(): Promise<User[]> {
    return this.repo.find({ order: { createdAt: 'ASC' } });
  }
}
