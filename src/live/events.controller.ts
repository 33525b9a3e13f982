import { Controller, MessageEvent, Sse, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { filter, finalize, interval, map, merge, NEVER, takeUntil, timer, type Observable } from 'rxjs';
import { EventStreamSlots } from './event-streams';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { PersonalTokensService } from '../personal-tokens/personal-tokens.service';
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
    private readonly tokens: PersonalTokensService,
  ) {}

  @Sse()
  @ApiOperation({
    summary:
      "Server-sent events: the caller's job changes (status, progress) as they happen; session cookie or Bearer; closes when the token expires",
  })
  stream(@CurrentUser() user: AuthenticatedUser): Observable<MessageEvent> {
    const release = this.slots.take(user.id);
    const own = this.jobs.changes.pipe(
      filter((c) => c.owner === user.id),
      map(({ owner: _, ...change }) => ({ type: 'job', data: change })),
    );
    const keepalive = interval(KEEPALIVE_MS).pipe(map(() => ({ type: 'ping', data: {} })));
    const expiry = timer(Math.min(Math.max(0, user.expiresAt * 1_000 - Date.now()), 2 ** 31 - 1)); // setTimeout holds at most ~24.8 days
    // an API token's stream ends when it is revoked (here at once; revoked through another master: by the next ping) or expires
    const tokenEnd = user.token ? this.tokens.ended(user.token.id, KEEPALIVE_MS) : NEVER;
    return merge(own, keepalive).pipe(takeUntil(merge(expiry, tokenEnd)), finalize(release));
  }
}
