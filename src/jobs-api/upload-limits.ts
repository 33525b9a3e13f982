import { BadRequestException } from '@nestjs/common';
import type { MulterOptions } from '@nestjs/platform-express/multer/interfaces/multer-options.interface';
import { FILE_NAME } from '../submissions/dto/md-spec.dto';
import { lammpsFileProblem } from '../submissions/lammps-script-check';
import type { UploadedFile } from '../submissions/submission.service';

export const MAX_FILES = 20;
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Multipart limits; preservePath so a "../../etc/passwd" name reaches the check instead of being trimmed. */
export const UPLOAD_OPTIONS: MulterOptions = {
  preservePath: true,
  limits: { files: MAX_FILES, fileSize: MAX_FILE_BYTES, fields: 4, fieldSize: 1024 * 1024, parts: MAX_FILES + 4 },
};

/** Checks uploaded files' names and contents (plain names, unique, text, no shell commands). */
export function checkUploads(files: Express.Multer.File[]): UploadedFile[] {
  const seen = new Set<string>();
  return files.map((f) => {
    const name = f.originalname;
    const shown = JSON.stringify(name).slice(0, 120);
    if (f.fieldname !== 'files') throw new BadRequestException([`${f.fieldname}: unexpected file field (use "files")`]);
    if (!FILE_NAME.test(name)) throw new BadRequestException([`files: file name ${shown} is not allowed (plain names of A-Z a-z 0-9 . _ -)`]);
    if (seen.has(name)) throw new BadRequestException([`files: ${shown} uploaded twice`]);
    seen.add(name);
    const problem = lammpsFileProblem(f.buffer);
    if (problem) throw new BadRequestException([`files.${name}: ${problem}`]);
    return { name, content: f.buffer };
  });
}
