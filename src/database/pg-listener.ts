import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { CommonConfig } from '../config/common.config';
import { databaseSsl } from './database-ssl';

const RECONNECT_MAX_MS = 10_000;

/**
 * One PostgreSQL connection that LISTENs on a channel and hands each notification's payload on.
 * Reconnects with backoff (a notification sent while it is away is lost: the caller says how that is
 * made good, `onListening` being called each time it listens again); `close()` ends it for good.
 */
export class PgListener {
  private readonly logger = new Logger(PgListener.name);
  private client?: Client;
  private stopping = false;
  private failures = 0;

  constructor(
    private readonly config: Pick<CommonConfig, 'DATABASE_URL' | 'DATABASE_SSL' | 'DATABASE_SSL_CA'>,
    readonly channel: string,
    private readonly onPayload: (payload: string) => void,
    /** Called once LISTEN holds, at the first connect and after each reconnect. */
    private readonly onListening?: () => void,
  ) {}

  async open(): Promise<void> {
    const client = new Client({
      connectionString: this.config.DATABASE_URL,
      ssl: databaseSsl(this.config) || undefined,
    });
    client.on('notification', (msg) => {
      if (msg.channel === this.channel && msg.payload) this.onPayload(msg.payload);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN "${this.channel.replace(/"/g, '""')}"`);
      this.client = client;
      this.failures = 0;
    } catch (err) {
      this.lost(client, err as Error);
      return;
    }
    this.onListening?.();
  }

  async close(): Promise<void> {
    this.stopping = true;
    await this.client?.end().catch(() => undefined);
  }

  private lost(client: Client, err: Error): void {
    if (this.stopping || (this.client && this.client !== client)) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    const delay = Math.min(RECONNECT_MAX_MS, 250 * 2 ** this.failures++);
    this.logger.warn(`LISTEN ${this.channel}: ${err.message}; listening again in ${delay} ms`);
    setTimeout(() => void this.open(), delay).unref();
  }
}
