import { Global, Module } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { JwtModule } from '@nestjs/jwt';
import { MasterConfig } from '../config/master.config';
import { PersonalTokensController } from '../personal-tokens/personal-tokens.controller';
import { PersonalTokensService } from '../personal-tokens/personal-tokens.service';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { CredentialWatch } from './credential-watch';
import { JwtAuthGuard } from './jwt-auth.guard';
import { LoginThrottle } from './login-throttle';
import { RequestAuthenticator } from './request-authenticator';

@Global()
@Module({
  imports: [
    UsersModule,
    JwtModule.registerAsync({
      inject: [MasterConfig],
      useFactory: (config: MasterConfig) => ({
        // A KeyObject, not a string: jsonwebtoken otherwise re-parses the secret on every call.
        secret: createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8')) as unknown as string,
        signOptions: { algorithm: 'HS256', expiresIn: config.JWT_TTL_SECONDS },
      }),
    }),
  ],
  controllers: [AuthController, PersonalTokensController],
  providers: [AuthService, LoginThrottle, RequestAuthenticator, JwtAuthGuard, PersonalTokensService, CredentialWatch],
  exports: [JwtModule, RequestAuthenticator, JwtAuthGuard, PersonalTokensService, CredentialWatch],
})
export class AuthModule {}
