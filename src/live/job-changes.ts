import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { CommonConfig } from '../config/common.config';
import { PgListener } from '../database/pg-listener';

/** What the jobs table announces on every insert and status/progress change (migration 1764200000000). */
export interface JobChange {
  id: string;
  owner: string;
  batchId: string | null;
  status: string;
  progress: number;
  updatedAt: string;
}

/** The channel the jobs table's trigger notifies on (migration 1764200000000): one per schema. */
export const jobChangesChannel = (schema: string): string => `molq_jobs:${schema}`;

/**
 * The master's one LISTEN connection to PostgreSQL: job changes made by any process, as they
 * commit, for the live views (server-sent events). A change missed while the connection is away
 * is caught by the browser re-reading the job when its stream reconnects.
 */
@Injectable()
export class JobChanges implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly subject = new Subject<JobChange>();
  private readonly listener: PgListener;
  readonly changes: Observable<JobChange> = this.subject.asObservable();

  constructor(@Inject(CommonConfig) config: CommonConfig) {
    this.listener = new PgListener(config, jobChangesChannel(config.DATABASE_SCHEMA), (payload) => {
      try {
        this.subject.next(JSON.parse(payload) as JobChange);
      } catch {
        // not ours
      }
    });
  }

  get channel(): string {
    return this.listener.channel;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.open();
  }

  async onApplicationShutdown(): Promise<void> {
    this.subject.complete();
    await this.listener.close();
  }
}
