import { BadRequestException } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { JobLabels } from '../jobs/job-labels';
import type { JobStatus } from '../jobs/job-status';
import { decodeCursor, encodeCursor, type JobCursor } from './job-cursor';
import { jobFilterSql } from './job-filters';
import type { ListJobsQuery } from './list-jobs.query';

/** Offset pages reach this far; beyond it a list is read by cursor, so no request walks a user's whole history. */
export const OFFSET_LIMIT = 10_000;
/**
 * Counted up to this many; above it `total` is this figure and `totalExact` false ("more than 1,000
 * jobs"). Counting reads one index entry per job: counted to 10,000, the first page took 45 ms p50, 96 ms p99
 * with 1,000 jobs running beside it (bench/pages).
 */
export const COUNT_LIMIT = 1_000;
/** A name search matching at most this many jobs reads them by name (trigram index) and sorts them. */
const FEW_MATCHES = 5_000;

export interface JobListItem {
  id: string;
  name: string | null;
  type: 'md' | 'qc';
  engine: string;
  status: JobStatus;
  progress: number;
  priority: number;
  batchId: string | null;
  /** Its position in its batch's submission (0, 1, …), or null. */
  batchIndex: number | null;
  labels: JobLabels;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** The first line of its error (at most 200 characters), or null. */
  errorLine: string | null;
  /** The job whose results it took instead of running, or null. */
  reusedFrom: string | null;
}

export interface JobListPage {
  items: JobListItem[];
  total: number;
  totalExact: boolean;
  page: number | null;
  pageSize: number;
  /** The next (older) page, or null on the last one. */
  nextCursor: string | null;
  /** The previous (newer) page, or null on the first one. */
  prevCursor: string | null;
}

const COLUMNS = `id, name, type, engine, status, progress, priority, batch_id AS "batchId", batch_index AS "batchIndex",
  labels, created_at AS "createdAt", updated_at AS "updatedAt", started_at AS "startedAt", finished_at AS "finishedAt",
  left(split_part(error, E'\n', 1), 200) AS "errorLine", reused_from AS "reusedFrom"`;

/** How a list is read: its key (then id), the key's type in a cursor, and the direction of "next". */
interface ListOrder {
  key: string;
  /** The key as the cursor carries it (created_at as text: microseconds kept). */
  cursorKey: string;
  cast: 'timestamptz' | 'int';
  next: 'ASC' | 'DESC';
}
/** An owner's jobs: newest first. */
const NEWEST_FIRST: ListOrder = { key: 'created_at', cursorKey: 'created_at::text', cast: 'timestamptz', next: 'DESC' };
/** One batch's jobs: in the order they were submitted (jobs_batch_position_idx; a batch shares one created_at). */
const SUBMISSION_ORDER: ListOrder = {
  key: 'COALESCE(batch_index, -1)',
  cursorKey: 'COALESCE(batch_index, -1)',
  cast: 'int',
  next: 'ASC',
};

/**
 * One page of an owner's jobs, newest first (one batch's jobs: in submission order), by keyset
 * (`cursor`) or by page number for the first OFFSET_LIMIT jobs; the total is counted up to
 * COUNT_LIMIT. Each request reads at most pageSize + 1 rows of the list and COUNT_LIMIT + 1 index
 * entries for the count.
 */
export async function listJobs(dataSource: DataSource, ownerId: string, q: ListJobsQuery): Promise<JobListPage> {
  const cursor = q.cursor ? decodeCursor(q.cursor) : null;
  const order = q.batchId ? SUBMISSION_ORDER : NEWEST_FIRST;
  if (cursor && typeof cursor.at !== (order === SUBMISSION_ORDER ? 'number' : 'string'))
    throw new BadRequestException(['cursor: not a cursor from this list (use nextCursor or prevCursor as given)']);
  if (!cursor && (q.page - 1) * q.pageSize >= OFFSET_LIMIT) {
    throw new BadRequestException([
      `page: page numbers reach the first ${OFFSET_LIMIT.toLocaleString('en')} jobs; read further with cursor (nextCursor)`,
    ]);
  }
  const { where, params } = jobFilterSql(ownerId, q);
  const newer = cursor?.side === 'newer';
  const listWhere = [...where];
  const listParams = [...params];
  if (cursor) {
    listParams.push(cursor.at, cursor.id);
    const a = `$${listParams.length - 1}::${order.cast}`;
    const b = `$${listParams.length}::uuid`;
    const after = (order.next === 'DESC') === newer ? '>' : '<'; // "next" reads on in the list's direction
    listWhere.push(`(${order.key}, id) ${after} (${a}, ${b})`);
  }
  const offset = cursor ? 0 : (q.page - 1) * q.pageSize;
  const count = async (limit: number) =>
    (
      await dataSource.query(
        `SELECT count(*)::int AS n FROM (SELECT 1 FROM jobs WHERE ${where.join(' AND ')} LIMIT ${limit + 1}) capped`,
        params,
      )
    )[0].n as number;
  const read = (n: number | null) => {
    // a name found in few jobs: read those (trigram index) and sort them, rather than walk the list to find them
    const few = n !== null && n <= FEW_MATCHES;
    const key = few ? `(${order.key} + ${order.cast === 'int' ? '0' : "interval '0 s'"})` : order.key;
    const dir = newer ? (order.next === 'DESC' ? 'ASC' : 'DESC') : order.next;
    return dataSource.query(
      `SELECT ${COLUMNS}, ${order.cursorKey} AS "cursorAt" FROM jobs WHERE ${listWhere.join(' AND ')}
        ORDER BY ${key} ${dir}, id ${dir} LIMIT ${q.pageSize + 1} OFFSET ${offset}`,
      listParams,
    );
  };
  let rows: (JobListItem & { cursorAt: string | number })[];
  let n: number;
  if (q.q) {
    n = await count(FEW_MATCHES); // the trigram index counts a rare name's matches in a few ms
    rows = await read(n);
  } else {
    [rows, n] = await Promise.all([read(null), count(COUNT_LIMIT)]);
  }
  const more = rows.length > q.pageSize;
  const page = rows.slice(0, q.pageSize);
  if (newer) page.reverse();
  const at = (row: { cursorAt: string | number; id: string } | undefined, side: JobCursor['side']) =>
    row ? encodeCursor({ side, at: row.cursorAt, id: row.id }) : null;
  // older pages exist if this read found more (reading older) or if it came from an older page (reading newer)
  const hasOlder = newer ? true : more;
  const hasNewer = newer ? more : cursor !== null || offset > 0;
  return {
    items: page.map(({ cursorAt: _, ...item }) => item),
    total: Math.min(n, COUNT_LIMIT),
    totalExact: n <= COUNT_LIMIT,
    page: cursor ? null : q.page,
    pageSize: q.pageSize,
    nextCursor: hasOlder ? at(page[page.length - 1], 'older') : null,
    prevCursor: hasNewer ? at(page[0], 'newer') : null,
  };
}
