import { Module } from '@nestjs/common';
import { EventsController } from './events.controller';
import { EventStreamSlots } from './event-streams';
import { JobChanges } from './job-changes';

/** Live updates for browsers: job changes from PostgreSQL notifications, as server-sent events. */
@Module({ providers: [JobChanges, EventStreamSlots], controllers: [EventsController], exports: [JobChanges] })
export class LiveModule {}
