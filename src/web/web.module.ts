import { Module } from '@nestjs/common';
import { LoginPageController } from './login-page.controller';

/** Pages the master serves to browsers. */
@Module({ controllers: [LoginPageController] })
export class WebModule {}
