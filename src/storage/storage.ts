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
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Keys are slash-separated safe segments: no "..", no absolute paths, no hidden files. */
export function assertSafeKey(key: string): void {
  const parts = key.split('/');
  if (parts.length === 0 || parts.length > 8 || !parts.every((p) => SEGMENT.test(p) && p !== '..' && !p.includes('..'))) {
    throw new Error(`unsafe storage key: ${JSON.stringify(key).slice(0, 200)}`);
  }
}
