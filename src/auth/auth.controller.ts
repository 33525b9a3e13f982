import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthService } from './auth.service';
import { CredentialsDto } from './dto/credentials.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @ApiOperation({ summary: 'Create an account (role user)' })
  async register(@Body() body: CredentialsDto) {
    const user = await this.auth.register(body.email, body.password);
    return { id: user.id, email: user.email, role: user.role };
  }

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for a Bearer access token' })
  login(@Body() body: CredentialsDto, @Ip() address: string) {
    return this.auth.login(body.email, body.password, address);
  }
}
