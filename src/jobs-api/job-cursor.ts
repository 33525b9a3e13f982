import { BadRequestException } from '@nestjs/common';

/**
 * A place in a job list: the (created_at, id) of a job in a list ordered newest first, or the
 * (position, id) of a job in one batch's list (submission order), and which side of it to read.
 * Opaque to clients (base64url JSON); created_at travels as PostgreSQL's own text so the
 * microseconds a JavaScript Date would drop survive the round trip.
 */
export interface JobCursor {
  /** 'older': the jobs after this one in the list; 'newer': the jobs before it. */
  side: 'older' | 'newer';
  /** created_at as text (a list newest first) or the job's position in its batch (a batch's list). */
  at: string | number;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:?\d{2})?|Z)$/;

export function encodeCursor(cursor: JobCursor): string {
  return Buffer.from(JSON.stringify([cursor.side === 'older' ? 'o' : 'n', cursor.at, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string): JobCursor {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parts = null;
  }
  if (
    !Array.isArray(parts) ||
    parts.length !== 3 ||
    !['o', 'n'].includes(parts[0]) ||
    !(
      (typeof parts[1] === 'string' && TIMESTAMP.test(parts[1])) ||
      (Number.isSafeInteger(parts[1]) && parts[1] >= -1)
    ) ||
    typeof parts[2] !== 'string' ||
    !UUID.test(parts[2])
  ) {
    throw new BadRequestException(['cursor: not a cursor from this list (use nextCursor or prevCursor as given)']);
  }
  return { side: parts[0] === 'o' ? 'older' : 'newer', at: parts[1], id: parts[2] };
}
