import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, QueryFailedError } from 'typeorm';
import { passwordHasher } from '../auth/password-hasher';
import { User, type Role } from './user.entity';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class UsersService {
  constructor(private readonly dataSource: DataSource) {}

  private get repo() {
    return this.dataSource.getRepository(User);
  }

  async create(email: string, password: string, role: Role = 'user'): Promise<User> {
    const passwordHash = await passwordHasher.hash(password);
    try {
      const saved = await this.repo.save(this.repo.create({ email: email.toLowerCase(), passwordHash, role }));
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
    return this.repo.createQueryBuilder('u').addSelect('u.passwordHash').where('u.email = :email', { email: email.toLowerCase() }).getOne();
  }

  findById(id: string): Promise<User | null> {
    return this.repo.findOneBy({ id });
  }

  async setRole(email: string, role: Role): Promise<User> {
    const user = await this.repo.findOneBy({ email: email.toLowerCase() });
    if (!user) throw new NotFoundException(`email: no account ${email}`);
    await this.repo.update({ id: user.id }, { role });
    return { ...user, role };
  }
}
