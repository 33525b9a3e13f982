import { ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { MasterConfig } from '../config/master.config';
import { PersonalTokensService } from '../personal-tokens/personal-tokens.service';
import { UsersService } from '../users/users.service';
import type { User } from '../users/user.entity';
import type { AccessTokenClaims } from './authenticated-user';
import { LoginThrottle } from './login-throttle';
import { DECOY_HASH, passwordHasher } from './password-hasher';

export interface AccessToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    private readonly throttle: LoginThrottle,
    private readonly personalTokens: PersonalTokensService,
    @Inject(MasterConfig) private readonly config: MasterConfig,
  ) {}

  /** REGISTRATION=open: a working account; approval: one that waits for an admin; closed: 403. */
  register(email: string, password: string): Promise<User> {
    if (this.config.REGISTRATION === 'closed')
      throw new ForbiddenException('registration: closed on this server; ask an admin for an account');
    return this.users.create(email, password, 'user', this.config.REGISTRATION === 'approval' ? 'pending' : 'active');
  }

  async login(email: string, password: string, address: string): Promise<AccessToken> {
    await this.throttle.take(email, address);
    const user = await this.users.findWithHash(email);
    const ok = await passwordHasher.verify(user?.passwordHash ?? DECOY_HASH, password);
    if (!user || !ok) throw new UnauthorizedException('email or password is wrong');
    await this.throttle.reset(email, address);
    if (user.status !== 'active')
      throw new ForbiddenException(
        `account: ${user.status === 'pending' ? "waiting for an admin's approval" : 'disabled'}`,
      );
    const claims: AccessTokenClaims = { sub: user.id, role: user.role, tv: user.tokenVersion };
    return {
      accessToken: await this.jwt.signAsync(claims),
      tokenType: 'Bearer',
      expiresIn: this.config.JWT_TTL_SECONDS,
    };
  }

  /** A new password, given the current one; every token of the account stops working, personal API tokens too. */
  async changePassword(id: string, email: string, current: string, next: string): Promise<void> {
    const user = await this.users.findWithHash(email);
    if (!user || user.id !== id || !(await passwordHasher.verify(user.passwordHash, current)))
      throw new UnauthorizedException('currentPassword: wrong password');
    await this.users.setPassword(id, next);
    await this.personalTokens.revokeAllOf(id);
  }
}
