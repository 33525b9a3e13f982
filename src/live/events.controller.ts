import { Controller, MessageEvent, Req, Sse, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { filter, finalize, interval, map, merge, takeUntil, timer, type Observable } from 'rxjs';
import { EventStreamSlots } from './event-streams';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { CredentialWatch } from '../auth/credential-watch';
import { AcceptsTokens } from '../personal-tokens/token-scope';
import { JobChanges } from './job-changes';

/** Keeps proxies from closing an idle stream (nginx reads for up to an hour). */
const KEEPALIVE_MS = 15_000;

@ApiTags('events')
@Controller('events')
@UseGuards(JwtAuthGuard)
@AcceptsTokens('read')
export class EventsController {
  constructor(
    private readonly jobs: JobChanges,
    private readonly slots: EventStreamSlots,
    private readonly credentials: CredentialWatch,
  ) {}

  @Sse()
  @ApiOperation({
    summary:
      "Server-sent events: the caller's job changes (status, progress) as they happen; session cookie or Bearer; closes when the token expires or stops authenticating (sign-out, password change, account disabled, API token revoked)",
  })
  stream(@CurrentUser() user: AuthenticatedUser, @Req() req: Request): Observable<MessageEvent> {
    const release = this.slots.take(user.id);
    const own = this.jobs.changes.pipe(
      filter((c) => c.owner === user.id),
      map(({ owner: _, ...change }) => ({ type: 'job', data: change })),
    );
    const keepalive = interval(KEEPALIVE_MS).pipe(map(() => ({ type: 'ping', data: {} })));
    const expiry = timer(Math.min(Math.max(0, user.expiresAt * 1_000 - Date.now()), 2 ** 31 - 1)); // setTimeout holds at most ~24.8 days
    // and it ends once its credential no longer authenticates (at once for a change made here, else by the next check)
    const credentialEnd = this.credentials.ended(req, user);
    return merge(own, keepalive).pipe(takeUntil(merge(expiry, credentialEnd)), finalize(release));
  }
}
