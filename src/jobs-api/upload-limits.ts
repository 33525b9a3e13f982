import { BadRequestException, ForbiddenException } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { screenInThread, ScreenTimeout } from '../submissions/screen-thread';
import type { MulterOptions } from '@nestjs/platform-express/multer/interfaces/multer-options.interface';
import { FILE_NAME } from '../submissions/dto/md-spec.dto';
import { diskStorage } from 'multer';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileOnDisk, type UploadedFile } from '../submissions/uploaded-file';

export const MAX_FILES = 20;
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Where multipart uploads are streamed while a request is served (removed after it, whatever happened). */
const UPLOAD_DIR = join(tmpdir(), 'molq-uploads');

/**
 * Multipart limits; files stream to UPLOAD_DIR under random names (never held in memory);
 * preservePath so a "../../etc/passwd" name reaches the check instead of being trimmed.
 */
export const UPLOAD_OPTIONS: MulterOptions = {
  preservePath: true,
  storage: diskStorage({
    destination: (_req, _file, done) => {
      mkdirSync(UPLOAD_DIR, { recursive: true, mode: 0o700 });
      done(null, UPLOAD_DIR);
    },
    filename: (_req, _file, done) => done(null, randomBytes(16).toString('hex')),
  }),
  limits: { files: MAX_FILES, fileSize: MAX_FILE_BYTES, fields: 4, fieldSize: 1024 * 1024, parts: MAX_FILES + 4 },
};

/** Names of files molq renders or writes into a job's directory: an upload may not take their place. */
export const RESERVED_NAMES = new Set(['job.json', 'job.sh', 'stdout.log', 'stderr.log', 'staging-manifest.json']);

/** Checks uploaded files' names (plain, unique, not one molq writes); scripts are screened with the spec. */
export function checkUploads(files: Express.Multer.File[]): UploadedFile[] {
  const seen = new Set<string>();
  return files.map((f) => {
    const name = f.originalname;
    const shown = JSON.stringify(name).slice(0, 120);
    if (f.fieldname !== 'files') throw new BadRequestException([`${f.fieldname}: unexpected file field (use "files")`]);
    if (!FILE_NAME.test(name))
      throw new BadRequestException([`files: file name ${shown} is not allowed (plain names of A-Z a-z 0-9 . _ -)`]);
    if (seen.has(name)) throw new BadRequestException([`files: ${shown} uploaded twice`]);
    seen.add(name);
    if (RESERVED_NAMES.has(name))
      throw new BadRequestException([
        `files: ${shown} is a name molq writes itself (${[...RESERVED_NAMES].join(', ')})`,
      ]);
    return fileOnDisk(name, f.path, f.size);
  });
}

/** Removes a request's temporary upload files. */
export async function removeUploads(files: Express.Multer.File[] | undefined): Promise<void> {
  await Promise.all((files ?? []).map((f) => rm(f.path, { force: true })));
}

/**
 * An uploaded engine script: only for users an admin granted `scripts` (403 otherwise), and only
 * when the screen (in a worker thread) finds none of the known escapes (400 naming file and line).
 * Either way it runs in the sandbox.
 */
export async function screenUploadedScript(
  user: AuthenticatedUser,
  script: string,
  uploads: UploadedFile[],
): Promise<void> {
  if (!user.permissions.includes('scripts'))
    throw new ForbiddenException(
      'md.script: uploading engine scripts needs the "scripts" permission, which an admin grants (or use a template)',
    );
  if (!uploads.some((u) => u.name === script)) return; // the spec check names it
  const problem = await screenInThread(script, uploads).catch((err: Error) => {
    if (err instanceof ScreenTimeout) return `md.script: ${err.message}; simplify the script`;
    throw err;
  });
  if (problem) throw new BadRequestException([problem]);
}
