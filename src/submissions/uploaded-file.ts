import { createReadStream, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';

/** A file a user uploaded with a job: on disk (multipart uploads are streamed there) or in memory. */
export interface UploadedFile {
  name: string;
  size: number;
  /** Where it is on disk, when it is (a multipart upload). */
  path?: string;
  /** The whole content (for the script screen: the script and what it includes, bounded by the upload limit). */
  read(): Buffer;
  /** A fresh stream of the content (to storage, never held in memory). */
  stream(): Readable;
}

export function fileOnDisk(name: string, path: string, size: number): UploadedFile {
  return { name, size, path, read: () => readFileSync(path), stream: () => createReadStream(path) };
}

export function fileInMemory(name: string, content: Buffer): UploadedFile {
  return { name, size: content.length, read: () => content, stream: () => Readable.from([content]) };
}
