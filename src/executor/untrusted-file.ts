import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/**
 * Reading a file a job could have planted (its work dir belongs to the sandbox account while it
 * runs): never through a symlink (O_NOFOLLOW: a link to a host file gives ELOOP), never blocking
 * on a FIFO or device (O_NONBLOCK, then fstat: regular files only), never more than asked.
 */
const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;

/** The file opened for reading when it is a regular file reached without a symlink; null otherwise (or missing). */
export async function openUntrusted(path: string): Promise<{ handle: FileHandle; size: number } | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, FLAGS);
  } catch {
    return null;
  }
  try {
    const stats = await handle.stat();
    if (stats.isFile()) return { handle, size: stats.size };
  } catch {
    // fall through: closed below
  }
  await handle.close().catch(() => undefined);
  return null;
}

/** Up to `bytes` from the end of the file as UTF-8; '' when it is not a plain file. */
export async function tailUntrusted(path: string, bytes: number): Promise<string> {
  const file = await openUntrusted(path);
  if (!file) return '';
  try {
    const start = Math.max(0, file.size - bytes);
    const buffer = Buffer.alloc(file.size - start);
    const { bytesRead } = await file.handle.read(buffer, 0, buffer.length, start);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } catch {
    return '';
  } finally {
    await file.handle.close().catch(() => undefined);
  }
}

/** The whole file when it is a plain file of at most `maxBytes`; null otherwise. */
export async function readUntrusted(path: string, maxBytes: number): Promise<Buffer | null> {
  const file = await openUntrusted(path);
  if (!file) return null;
  try {
    if (file.size > maxBytes) return null;
    const buffer = Buffer.alloc(file.size);
    const { bytesRead } = await file.handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } catch {
    return null;
  } finally {
    await file.handle.close().catch(() => undefined);
  }
}
