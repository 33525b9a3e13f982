interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit: items submitted while a write is in flight wait for the next write and go
 * together, so N concurrent callers cost one round trip (one transaction, one WAL flush)
 * instead of N. Each caller's promise settles only when its own item is written. When a
 * shared write fails, its items are written one by one so only the faulty one fails.
 */
export class GroupCommit<T, R = void> {
  private queue: Waiting<T, R>[] = [];
  private draining = false;

  constructor(
    /** Writes the items; returns one result per item, in order. */
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 500,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.write(batch.map((w) => w.item));
        batch.forEach((w, i) => w.resolve(results[i]));
      } catch (err) {
        if (batch.length === 1) batch[0].reject(err);
        else await Promise.all(batch.map((w) => this.write([w.item]).then(([r]) => w.resolve(r), w.reject)));
      }
    }
    this.draining = false;
  }
}
