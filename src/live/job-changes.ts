import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import { Observable, Subject } from 'rxjs';
import { CommonConfig } from '../config/common.config';
import { databaseSsl } from '../database/database-ssl';

/** What the jobs table announces on every insert and status/progress change (migration 1764200000000). */
export interface JobChange {
  id: string;
  owner: string;
  batchId: string | null;
  status: string;
  progress: number;
  updatedAt: string;
}

const RECONNECT_MAX_MS = 10_000;

/**
 * The master's one LISTEN connection to PostgreSQL: job changes made by any process, as they
 * commit, for the live views (server-sent events). Reconnects with backoff; a change missed while
 * disconnected is caught by the browser re-reading the job when its stream reconnects.
 */
@Injectable()
export class JobChanges implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(JobChanges.name);
  private readonly subject = new Subject<JobChange>();
  private client?: Client;
  private stopping = false;
  private failures = 0;
  readonly changes: Observable<JobChange> = this.subject.asObservable();

  constructor(@Inject(CommonConfig) private readonly config: CommonConfig) {}

  get channel(): string {
    return `molq_jobs:${this.config.DATABASE_SCHEMA}`;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.subject.complete();
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.config.DATABASE_URL,
      ssl: databaseSsl(this.config) || undefined,
    });
    client.on('notification', (msg) => {
      if (msg.channel !== this.channel || !msg.payload) return;
      try {
        this.subject.next(JSON.parse(msg.payload) as JobChange);
      } catch {
        // not ours
      }
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel}"`);
      this.client = client;
      this.failures = 0;
    } catch (err) {
      this.lost(client, err as Error);
    }
  }

  private lost(client: Client, err: Error): void {
    if (this.stopping || (this.client && this.client !== client)) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    const delay = Math.min(RECONNECT_MAX_MS, 250 * 2 ** this.failures++);
    this.logger.warn(`job change stream: ${err.message}; listening again in ${delay} ms`);
    setTimeout(() => void this.connect(), delay).unref();
  }
}
