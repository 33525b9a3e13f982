import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { MasterConfig } from '../config/master.config';
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
    @Inject(MasterConfig) private readonly config: MasterConfig,
  ) {}

  register(email: string, password: string): Promise<User> {
    return this.users.create(email, password, 'user');
  }

  async login(email: string, password: string, address: string): Promise<AccessToken> {
    await this.throttle.check(email, address);
    const user = await this.users.findWithHash(email);
    const ok = await passwordHasher.verify(user?.passwordHash ?? DECOY_HASH, password);
    if (!user || !ok) {
      await this.throttle.recordFailure(email, address);
      throw new UnauthorizedException('email or password is wrong');
    }
    await this.throttle.reset(email, address);
    const claims: AccessTokenClaims = { sub: user.id, role: user.role };
    return { accessToken: await this.jwt.signAsync(claims), tokenType: 'Bearer', expiresIn: this.config.JWT_TTL_SECONDS };
  }
}
