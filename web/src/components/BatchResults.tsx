import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError, type ExportRow } from '../api';
import { StatusBadge } from './StatusBadge';

/** Batches up to this size show their results table here; bigger ones are downloaded. */
const TABLE_MAX_JOBS = 5_000;
const SHOWN_ROWS = 500;
const REFRESH_MS = 5_000;

type Cell = string | number | boolean | null;
type Column = { key: string; label: string; cell: (r: ExportRow) => Cell };

function compare(a: Cell, b: Cell): number {
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : 1; // empty cells last
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/**
 * A batch's results as a table (the JSON export) in submission order, sortable by any column, the jobs'
 * own labels as columns after their name, with CSV and JSON downloads.
 */
export function BatchResults({ batchId, jobCount, finished }: { batchId: string; jobCount: number; finished: number }) {
  const [rows, setRows] = useState<ExportRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<{ key: string; up: boolean }>({ key: 'position', up: true });
  const small = jobCount <= TABLE_MAX_JOBS;

  // re-read as jobs finish, at most every REFRESH_MS while the batch runs (the table can be thousands of rows)
  const lastRead = useRef(0);
  useEffect(() => {
    if (!small || finished === 0) return;
    const read = () => {
      lastRead.current = Date.now();
      api<ExportRow[]>('GET', `/batches/${batchId}/export?format=json`)
        .then(setRows)
        .catch((err) => setError(err instanceof ApiError ? err.message : 'could not load the results'));
    };
    const timer = window.setTimeout(read, Math.max(0, lastRead.current + REFRESH_MS - Date.now()));
    return () => window.clearTimeout(timer);
  }, [batchId, small, finished]);

  const columns = useMemo<Column[]>(() => {
    const first = rows?.[0];
    // the export lists the jobs in the order they were submitted: "#" keeps that order (a scan's own order)
    const position = new Map((rows ?? []).map((r, i) => [r.jobId, i + 1]));
    return [
      { key: 'position', label: '#', cell: (r) => position.get(r.jobId) ?? null },
      { key: 'name', label: 'Name', cell: (r) => r.name },
      ...Object.keys(first?.labels ?? {}).map((k) => ({
        key: `label:${k}`,
        label: k,
        cell: (r: ExportRow) => r.labels?.[k] ?? null,
      })),
      { key: 'status', label: 'Status', cell: (r) => r.status },
      ...Object.keys(first?.inputs ?? {}).map((k) => ({
        key: `in:${k}`,
        label: k,
        cell: (r: ExportRow) => r.inputs[k],
      })),
      ...Object.keys(first?.values ?? {}).map((k) => ({
        key: `v:${k}`,
        label: k,
        cell: (r: ExportRow) => r.values[k],
      })),
    ];
  }, [rows]);
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.key === sort.key) ?? columns[0];
    return [...(rows ?? [])].sort((a, b) => (sort.up ? 1 : -1) * compare(column.cell(a), column.cell(b)));
  }, [rows, columns, sort]);

  return (
    <section aria-label="Results">
      <h2>Results</h2>
      <p className="actions">
        <a className="button" href={`/api/v1/batches/${batchId}/export?format=csv`} download>
          Download CSV
        </a>
        <a className="button secondary" href={`/api/v1/batches/${batchId}/export?format=json`} download>
          Download JSON
        </a>
      </p>
      {!small && <p>This batch has {jobCount.toLocaleString()} jobs: download its results to read them all.</p>}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {rows && rows.length > 0 && (
        <div className="table-wrap">
          <table className="jobs results">
            <thead>
              <tr>
                {columns.map((c) => (
                  <th
                    key={c.key}
                    scope="col"
                    aria-sort={sort.key === c.key ? (sort.up ? 'ascending' : 'descending') : 'none'}
                  >
                    <button
                      type="button"
                      className="sort"
                      onClick={() => setSort((s) => ({ key: c.key, up: s.key === c.key ? !s.up : true }))}
                    >
                      {c.label}
                      {sort.key === c.key ? (sort.up ? ' ▲' : ' ▼') : ''}
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {sorted.slice(0, SHOWN_ROWS).map((r) => (
                <tr key={r.jobId}>
                  {columns.map((c) => (
                    <td key={c.key}>
                      {c.key === 'name' ? (
                        <Link to={`/jobs/${r.jobId}`}>{r.name ?? r.jobId.slice(0, 8)}</Link>
                      ) : c.key === 'status' ? (
                        <StatusBadge status={r.status} />
                      ) : (
                        format(c.cell(r))
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length > SHOWN_ROWS && (
            <p>
              Showing {SHOWN_ROWS} of {rows.length.toLocaleString()} rows; the download has them all.
            </p>
          )}
        </div>
      )}
    </section>
  );
}

function format(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : value.toPrecision(8).replace(/\.?0+$/, '');
  return String(value);
}
