import { Controller, MessageEvent, Sse, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { filter, interval, map, merge, type Observable } from 'rxjs';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { JwtAuthGuard } from '../auth/jwt-auth.guard';
import { JobChanges } from './job-changes';

/** Keeps proxies from closing an idle stream (nginx reads for up to an hour). */
const KEEPALIVE_MS = 15_000;

@ApiTags('events')
@Controller('events')
@UseGuards(JwtAuthGuard)
export class EventsController {
  constructor(private readonly jobs: JobChanges) {}

  @Sse()
  @ApiOperation({ summary: "Server-sent events: the caller's job changes (status, progress) as they happen; session cookie or Bearer" })
  stream(@CurrentUser() user: AuthenticatedUser): Observable<MessageEvent> {
    const own = this.jobs.changes.pipe(
      filter((c) => c.owner === user.id),
      map(({ owner: _, ...change }) => ({ type: 'job', data: change })),
    );
    const keepalive = interval(KEEPALIVE_MS).pipe(map(() => ({ type: 'ping', data: {} })));
    return merge(own, keepalive);
  }
}
