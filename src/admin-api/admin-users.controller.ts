import { Body, Controller, ForbiddenException, Get, Param, ParseUUIDPipe, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn } from 'class-validator';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { PERMISSIONS, USER_STATUSES, type Permission, type User, type UserStatus } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { AccountStatusService } from './account-status.service';
import { adminOnly } from './admin-only';

export class PermissionChangeDto {
  @IsIn(PERMISSIONS, { message: `permission must be one of ${PERMISSIONS.join(', ')}` })
  permission!: Permission;

  @IsBoolean({ message: 'granted must be true or false' })
  granted!: boolean;
}

export class StatusChangeDto {
  @IsIn(USER_STATUSES, { message: `status must be one of ${USER_STATUSES.join(', ')}` })
  status!: UserStatus;
}

const view = (u: User) => ({
  id: u.id,
  email: u.email,
  role: u.role,
  status: u.status,
  permissions: u.permissions,
  createdAt: u.createdAt,
});

/** Admins: list accounts, approve or disable them, grant or revoke permissions (the web UI's Accounts page). */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/users')
@UseGuards(JwtAuthGuard)
export class AdminUsersController {
  constructor(
    private readonly users: UsersService,
    private readonly accounts: AccountStatusService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every account (admins)' })
  async list(@CurrentUser() caller: AuthenticatedUser) {
    adminOnly(caller);
    return (await this.users.list()).map(view);
  }

  @Post(':id/permissions')
  @ApiOperation({ summary: 'Grant or revoke a permission (admins)' })
  async permission(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 400 })) id: string,
    @Body() body: PermissionChangeDto,
  ) {
    adminOnly(caller);
    const email = await this.users.emailOf(id);
    return view(
      await (body.granted ? this.users.grant(email, body.permission) : this.users.revoke(email, body.permission)),
    );
  }

  @Post(':id/status')
  @ApiOperation({
    summary:
      'Approve (active), hold (pending) or disable an account (admins); disabling cancels its jobs not yet running',
  })
  async status(
    @CurrentUser() caller: AuthenticatedUser,
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 400 })) id: string,
    @Body() body: StatusChangeDto,
  ) {
    adminOnly(caller);
    if (id === caller.id && body.status !== 'active')
      throw new ForbiddenException('status: an admin cannot disable their own account');
    return view(await this.accounts.set(await this.users.emailOf(id), body.status, `user:${caller.id}`));
  }
}
