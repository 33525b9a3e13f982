import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CommonConfig } from '../config/common.config';
import { PgListener } from '../database/pg-listener';
import { JobStatus } from '../jobs/job-status';
import { jobChangesChannel, type JobChange } from '../live/job-changes';

/** How soon a status check that failed (PostgreSQL away) is tried again. */
const RECHECK_RETRY_MS = 1_000;

/**
 * A user's cancel pushed to the runs of this process: one LISTEN connection on the jobs table's change
 * notifications (the trigger of migration 1764200000000), and the callbacks of the jobs it runs, fired
 * when a job's status becomes CANCELLED. No polling: PostgreSQL is read only to make good what a
 * notification cannot carry, each time with ONE query for every job concerned — the jobs just watched
 * (a cancel committed before its watch began), and every watched job when the listener (re)connects (a
 * notification sent while it was away is lost).
 */
@Injectable()
export class CancelWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CancelWatch.name);
  private readonly listener: PgListener;
  private readonly watched = new Map<string, Set<() => void>>();
  /** Jobs whose status is to be read with the next check. */
  private readonly unchecked = new Set<string>();
  private checking?: Promise<void>;
  private retry?: NodeJS.Timeout;
  private closed = false;

  constructor(
    @Inject(CommonConfig) config: CommonConfig,
    private readonly dataSource: DataSource,
  ) {
    this.listener = new PgListener(
      config,
      jobChangesChannel(config.DATABASE_SCHEMA),
      (payload) => this.notified(payload),
      () => this.check([...this.watched.keys()]),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.open();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.listener.close();
    await this.checking;
  }

  /**
   * Calls `onCancelled` once when the job's status is CANCELLED (already, or from now on); returns
   * the function that stops watching.
   */
  watch(jobId: string, onCancelled: () => void): () => void {
    let callbacks = this.watched.get(jobId);
    if (!callbacks) this.watched.set(jobId, (callbacks = new Set()));
    const entry = () => onCancelled(); // its own entry, even when the same function watches twice
    callbacks.add(entry);
    this.check([jobId]);
    return () => {
      const set = this.watched.get(jobId);
      set?.delete(entry);
      if (set?.size === 0) this.watched.delete(jobId);
    };
  }

  /** How many jobs are watched (for tests and metrics). */
  get size(): number {
    return this.watched.size;
  }

  private notified(payload: string): void {
    let change: Pick<JobChange, 'id' | 'status'>;
    try {
      change = JSON.parse(payload);
    } catch {
      return; // not the trigger's
    }
    if (change.status === JobStatus.Cancelled) this.cancelled(change.id);
  }

  private cancelled(jobId: string): void {
    const callbacks = this.watched.get(jobId);
    if (!callbacks) return;
    this.watched.delete(jobId); // CANCELLED is final: each callback runs once
    for (const callback of callbacks) {
      try {
        callback();
      } catch (err) {
        this.logger.error(`job ${jobId}: cancel callback failed: ${(err as Error).message}`);
      }
    }
  }

  /** Reads the status of `jobIds` (with any others waiting) in one query, once the current one is done. */
  private check(jobIds: string[]): void {
    for (const id of jobIds) this.unchecked.add(id);
    if (this.checking || this.unchecked.size === 0 || this.closed) return;
    this.checking = (async () => {
      // every watch of this tick goes into the same query
      await new Promise((resolve) => setImmediate(resolve));
      const ids = [...this.unchecked].filter((id) => this.watched.has(id));
      this.unchecked.clear();
      if (ids.length === 0) return;
      try {
        const rows: { id: string }[] = await this.dataSource.query(
          `SELECT id FROM jobs WHERE id = ANY($1::uuid[]) AND status = '${JobStatus.Cancelled}'`,
          [ids],
        );
        for (const { id } of rows) this.cancelled(id);
      } catch (err) {
        this.logger.warn(`reading ${ids.length} watched job(s): ${(err as Error).message}; again in 1 s`);
        for (const id of ids) this.unchecked.add(id);
        this.retry ??= setTimeout(() => {
          this.retry = undefined;
          this.check([]);
        }, RECHECK_RETRY_MS).unref();
      }
    })().finally(() => {
      this.checking = undefined;
      if (this.unchecked.size > 0 && !this.retry) this.check([]); // watched meanwhile
    });
  }
}
