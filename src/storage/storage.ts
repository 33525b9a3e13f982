import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

export interface StoredObject {
  key: string;
  size: number;
  sha256: string;
}

/** Object storage, one interface for every driver (local now; OSS in the results issue). */
export abstract class Storage {
  /** Writes the whole object and returns its size and SHA-256. */
  abstract put(key: string, body: Buffer | Readable): Promise<StoredObject>;
  abstract get(key: string): Promise<Readable>;
  abstract read(key: string): Promise<Buffer>;
  abstract head(key: string): Promise<{ size: number } | null>;
  abstract delete(key: string): Promise<void>;
  /** Keys under a prefix, sorted. */
  abstract list(prefix: string): Promise<string[]>;

  /**
   * Moves an object to `target`, measured on the way; `accept` sees the measurement and throws to
   * refuse it, and a refused object stays where it was (nothing at `target`). Drivers that can
   * rename do so (local disk); this default copies, then deletes the source.
   */
  async move(source: string, target: string, accept: (measured: StoredObject) => void): Promise<StoredObject> {
    const stored = await this.put(target, await this.get(source));
    try {
      accept(stored);
    } catch (err) {
      await this.delete(target);
      throw err;
    }
    await this.delete(source);
    return stored;
  }

  /** Size and SHA-256 of a stored object, read through once. */
  async measure(key: string): Promise<StoredObject> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of await this.get(key)) {
      hash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
    }
    return { key, size, sha256: hash.digest('hex') };
  }
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Keys are slash-separated safe segments: no "..", no absolute paths, no hidden files. */
export function assertSafeKey(key: string): void {
  const parts = key.split('/');
  if (
    parts.length === 0 ||
    parts.length > 8 ||
    !parts.every((p) => SEGMENT.test(p) && p !== '..' && !p.includes('..'))
  ) {
    throw new Error(`unsafe storage key: ${JSON.stringify(key).slice(0, 200)}`);
  }
}
