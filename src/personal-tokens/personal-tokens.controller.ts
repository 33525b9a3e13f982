import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { CreatePersonalTokenDto } from './dto/create-personal-token.dto';
import { PersonalTokensService } from './personal-tokens.service';

const TOKEN_ID = new ParseUUIDPipe({
  exceptionFactory: () => new BadRequestException(['id: must be a token id (UUID)']),
});

/** A signed-in user's API tokens (for scripts and the Python client). Tokens themselves cannot call these. */
@ApiTags('auth')
@ApiBearerAuth()
@UseGuards(JwtAuthGuard)
@Controller('auth/tokens')
export class PersonalTokensController {
  constructor(private readonly tokens: PersonalTokensService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a personal API token (scope read or submit, optional expiry); the secret is in this answer only',
  })
  create(@CurrentUser() user: AuthenticatedUser, @Body() body: CreatePersonalTokenDto) {
    return this.tokens.create(user.id, body);
  }

  @Get()
  @ApiOperation({ summary: 'Own tokens that still work: name, scope, prefix, expiry, last used' })
  list(@CurrentUser() user: AuthenticatedUser) {
    return this.tokens.list(user.id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one of them: it stops working at once' })
  async revoke(@CurrentUser() user: AuthenticatedUser, @Param('id', TOKEN_ID) id: string): Promise<void> {
    await this.tokens.revoke(user.id, id);
  }
}
