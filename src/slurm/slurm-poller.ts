import { Logger } from '@nestjs/common';
import type { SlurmDriver, SlurmJobStatus } from './slurm-driver';

interface Waiter {
  resolve: (status: SlurmJobStatus | undefined) => void;
  reject: (err: unknown) => void;
}

/**
 * Batches the state questions of every run in a process into one Slurm poll per interval: each
 * `next(id)` resolves at the next cycle, and a cycle costs one squeue (plus one sacct for jobs
 * squeue forgot) whatever the number of jobs waiting.
 */
export class SlurmPoller {
  private readonly waiting = new Map<string, Waiter[]>();
  private timer?: NodeJS.Timeout;
  private readonly logger = new Logger(SlurmPoller.name);

  constructor(
    private readonly slurm: SlurmDriver,
    private readonly intervalMs: number,
  ) {}

  /** The job's status at the next cycle (undefined: Slurm knows no such job). */
  next(schedulerId: string): Promise<SlurmJobStatus | undefined> {
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(schedulerId) ?? [];
      list.push({ resolve, reject });
      this.waiting.set(schedulerId, list);
      this.timer ??= setTimeout(() => void this.cycle(), this.intervalMs);
    });
  }

  private async cycle(): Promise<void> {
    const batch = new Map(this.waiting);
    this.waiting.clear();
    try {
      const states = await this.slurm.poll([...batch.keys()]);
      // a row that could not be read is neither a state nor "Slurm knows no such job": its waiters get an
      // error, as for a failed poll, and ask again next cycle (the job is not counted towards being lost)
      const unread = new Map<string, Error>();
      for (const { listing, schedulerId, error } of states.skipped) {
        this.logger.warn(`${listing} row skipped${schedulerId ? ` (Slurm job ${schedulerId})` : ''}: ${error.message}`);
        if (schedulerId) unread.set(schedulerId, new Error(`${listing} row of Slurm job ${schedulerId} unreadable`));
      }
      for (const [id, waiters] of batch)
        for (const w of waiters) {
          const err = unread.get(id);
          if (err) w.reject(err);
          else w.resolve(states.get(id));
        }
    } catch (err) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
    } finally {
      this.timer = undefined;
      if (this.waiting.size > 0) this.timer = setTimeout(() => void this.cycle(), this.intervalMs);
    }
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const err = new Error('Slurm poller stopped');
    for (const waiters of this.waiting.values()) for (const w of waiters) w.reject(err);
    this.waiting.clear();
  }
}
