import { BadRequestException } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { UploadedFile } from './uploaded-file';

/** How long a key is honoured: the same key within this time answers as the first request did. */
export const IDEMPOTENCY_WINDOW_HOURS = 24;

/** A submission's Idempotency-Key and the fingerprint of the request it came with. */
export interface Idempotency {
  key: string;
  requestSha256: string;
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The Idempotency-Key header of a request (absent: undefined), with the request's fingerprint:
 * the JSON body (or the multipart spec field) and each uploaded file's name and size (its content
 * is added by withFileContents, which reads the files). A key that
 * is not 1-255 visible ASCII characters is refused, naming the header.
 */
export function idempotencyOf(
  header: string | string[] | undefined,
  body: unknown,
  files: { originalname: string; size: number }[] = [],
): Idempotency | undefined {
  if (header === undefined) return undefined;
  if (Array.isArray(header) || !KEY.test(header)) {
    throw new BadRequestException([
      'Idempotency-Key: must be one value of 1-255 visible ASCII characters (a UUID is a good key)',
    ]);
  }
  const hash = createHash('sha256').update(JSON.stringify(body ?? null));
  for (const f of files) hash.update(`\0${f.originalname}\0${f.size}`);
  return { key: header, requestSha256: hash.digest('hex') };
}

/**
 * The fingerprint with each uploaded file's SHA-256 in it: a replay whose files have the same names
 * and sizes but other bytes is another request (422 like any other). Reads each file through once.
 */
export async function withFileContents(idem: Idempotency, files: UploadedFile[]): Promise<Idempotency> {
  if (files.length === 0) return idem;
  const hash = createHash('sha256').update(idem.requestSha256);
  for (const f of files) {
    const content = createHash('sha256');
    for await (const chunk of f.stream()) content.update(chunk as Buffer);
    hash.update(`\0${f.name}\0${content.digest('hex')}`);
  }
  return { key: idem.key, requestSha256: hash.digest('hex') };
}
