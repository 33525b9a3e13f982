import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { LOGIN_PAGE } from './login-page';

@ApiExcludeController()
@Controller('login')
export class LoginPageController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; frame-ancestors 'none'")
  page(): string {
    return LOGIN_PAGE;
  }
}
