import { Body, Controller, Get, HttpCode, Ip, Post, Req, Res, UnauthorizedException, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { UsersService } from '../users/users.service';
import { AuthService } from './auth.service';
import type { AuthenticatedUser } from './authenticated-user';
import { CurrentUser } from './current-user.decorator';
import { AcceptsTokens } from '../personal-tokens/token-scope';
import { JwtAuthGuard } from './jwt-auth.guard';
import { RequestAuthenticator } from './request-authenticator';
import { CredentialsDto, PasswordChangeDto } from './dto/credentials.dto';
import { clearSessionCookie, setSessionCookie } from './session-cookie';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly authenticator: RequestAuthenticator,
  ) {}

  @Post('register')
  @ApiOperation({ summary: 'Create an account (role user)' })
  async register(@Body() body: CredentialsDto) {
    const user = await this.auth.register(body.email, body.password);
    return { id: user.id, email: user.email, role: user.role, status: user.status };
  }

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for a Bearer access token' })
  async login(
    @Body() body: CredentialsDto,
    @Ip() address: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const token = await this.auth.login(body.email, body.password, address);
    setSessionCookie(req, res, token.accessToken, token.expiresIn); // for Bull Board and event streams
    return token;
  }

  @Get('me')
  @UseGuards(JwtAuthGuard)
  @AcceptsTokens('read')
  @ApiOperation({ summary: 'Who the session or token belongs to: id, email, role' })
  async me(@CurrentUser() caller: AuthenticatedUser) {
    const user = await this.users.findById(caller.id);
    if (!user) throw new UnauthorizedException('session: the account no longer exists');
    return { id: user.id, email: user.email, role: user.role, permissions: user.permissions };
  }

  @Get('session')
  @ApiOperation({
    summary: 'The browser session: {user} when signed in, {user: null} otherwise (never 401, so a page can ask)',
  })
  async session(@Req() req: Request) {
    const caller = await this.authenticator.authenticate(req).catch(() => null);
    const user = caller ? await this.users.findById(caller.id) : null;
    return { user: user ? { id: user.id, email: user.email, role: user.role, permissions: user.permissions } : null };
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({
    summary: "Sign out: clears the session cookie and revokes every access token of the caller's account",
  })
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const caller = await this.authenticator.authenticate(req).catch(() => null);
    if (caller) await this.users.revokeTokens(caller.id);
    clearSessionCookie(req, res);
  }

  @Post('password')
  @HttpCode(204)
  @UseGuards(JwtAuthGuard)
  @ApiOperation({ summary: 'Change the password (the current one required); every token of the account is revoked' })
  async password(
    @CurrentUser() caller: AuthenticatedUser,
    @Body() body: PasswordChangeDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const user = await this.users.findById(caller.id);
    if (!user) throw new UnauthorizedException('session: the account no longer exists');
    await this.auth.changePassword(caller.id, user.email, body.currentPassword, body.newPassword);
    clearSessionCookie(req, res);
  }
}
