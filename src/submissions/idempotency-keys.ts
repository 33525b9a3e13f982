import { Injectable, Logger, UnprocessableEntityException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { IDEMPOTENCY_WINDOW_HOURS, type Idempotency } from './idempotency-key';
import { JobStore } from '../jobs/job-store';

/** The ids a keyed submission answers with, and whether its jobs already exist (the answer is a replay). */
export interface Reserved {
  batchId: string | null;
  jobIds: string[];
  done: boolean;
}

const WINDOW = `interval '${IDEMPOTENCY_WINDOW_HOURS} hours'`;
const SWEEP_EVERY_MS = 3_600_000;

/**
 * Idempotency-Key for submissions, in PostgreSQL beside the jobs. A key's first use records the
 * ids its answer will name before anything else is written; every later use within the window
 * gets those ids, so a client retrying after a lost answer, a 5xx or a crash of the master
 * between steps finishes or replays the same submission and never makes a second one. The
 * final insert takes the key's row lock, so two identical requests at once insert once.
 */
@Injectable()
export class IdempotencyKeys {
  private readonly logger = new Logger(IdempotencyKeys.name);
  private lastSweep = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobStore,
  ) {}

  /** Records `fresh` for this key, or returns what its earlier use recorded; 422 if it came with another request. */
  async reserve(
    ownerId: string,
    idem: Idempotency,
    fresh: { batchId: string | null; jobIds: string[] },
  ): Promise<Reserved> {
    this.sweepNowAndThen();
    const inserted: { batch_id: string | null; job_ids: string[] }[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (owner_id, key, request_sha256, batch_id, job_ids) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (owner_id, key) DO UPDATE SET request_sha256 = EXCLUDED.request_sha256, batch_id = EXCLUDED.batch_id,
         job_ids = EXCLUDED.job_ids, created_at = now()
       WHERE idempotency_keys.created_at < now() - ${WINDOW}
       RETURNING batch_id, job_ids`,
      [ownerId, idem.key, idem.requestSha256, fresh.batchId, fresh.jobIds],
    );
    if (inserted.length === 1) return { batchId: fresh.batchId, jobIds: fresh.jobIds, done: false };
    const [earlier]: { request_sha256: string; batch_id: string | null; job_ids: string[] }[] =
      await this.dataSource.query(
        'SELECT request_sha256, batch_id, job_ids FROM idempotency_keys WHERE owner_id = $1 AND key = $2',
        [ownerId, idem.key],
      );
    if (!earlier) return this.reserve(ownerId, idem, fresh); // swept between the two statements
    if (earlier.request_sha256 !== idem.requestSha256) {
      throw new UnprocessableEntityException([
        `Idempotency-Key: used in the last ${IDEMPOTENCY_WINDOW_HOURS} h for a different request; a new submission needs a new key`,
      ]);
    }
    if (earlier.job_ids.length !== fresh.jobIds.length)
      throw new UnprocessableEntityException(['Idempotency-Key: used for a different request']);
    return {
      batchId: earlier.batch_id,
      jobIds: earlier.job_ids,
      done: await this.jobs.exists(earlier.job_ids[0]),
    };
  }

  /** In the inserting transaction: takes the key's row lock and says whether its jobs are already there (then insert nothing). */
  async lockDone(manager: EntityManager, ownerId: string, key: string, firstJobId: string): Promise<boolean> {
    await manager.query('SELECT 1 FROM idempotency_keys WHERE owner_id = $1 AND key = $2 FOR UPDATE', [ownerId, key]);
    return this.jobs.exists(firstJobId, manager);
  }

  private sweepNowAndThen(): void {
    if (Date.now() - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = Date.now();
    this.dataSource
      .query(`DELETE FROM idempotency_keys WHERE created_at < now() - ${WINDOW}`)
      .catch((err: Error) => this.logger.warn(`sweeping expired idempotency keys failed: ${err.message}`));
  }
}
