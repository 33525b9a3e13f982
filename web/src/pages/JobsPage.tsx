import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ApiError, JOB_STATUSES, type JobListPage, type JobSummary } from '../api';
import { FormErrors } from '../components/Field';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { useJobChanges } from '../live';

const PAGE_SIZE = 20;
const FILTERS = ['q', 'status', 'engine', 'createdFrom'] as const;

export function JobsPage() {
  const [params, setParams] = useSearchParams();
  const [jobs, setJobs] = useState<JobSummary[]>([]);
  const [total, setTotal] = useState({ n: 0, exact: true });
  const [cursors, setCursors] = useState<{ next: string | null; prev: string | null }>({ next: null, prev: null });
  const [errors, setErrors] = useState<string[]>([]);
  const [loaded, setLoaded] = useState(false);
  const cursor = params.get('cursor');
  const reloadTimer = useRef<number | undefined>(undefined);

  const load = useCallback(async () => {
    const query = new URLSearchParams({ pageSize: String(PAGE_SIZE) });
    if (cursor) query.set('cursor', cursor);
    for (const f of FILTERS) {
      const v = params.get(f);
      if (v) query.set(f, f === 'createdFrom' ? new Date(`${v}T00:00:00`).toISOString() : v);
    }
    try {
      const res = await api<JobListPage>('GET', `/jobs?${query}`);
      setJobs(res.items);
      setTotal({ n: res.total, exact: res.totalExact });
      setCursors({ next: res.nextCursor, prev: res.prevCursor });
      setErrors([]);
    } catch (err) {
      setErrors(err instanceof ApiError ? err.messages : ['could not load your jobs']);
    } finally {
      setLoaded(true);
    }
  }, [params, cursor]);

  useEffect(() => {
    void load();
  }, [load]);

  // live: a shown job changes in place; a new job (or one entering the filter) re-reads the list, at most every 0.5 s
  const shownIds = useRef(new Set<string>());
  shownIds.current = new Set(jobs.map((j) => j.id));
  useJobChanges((change) => {
    if (shownIds.current.has(change.id)) {
      setJobs((list) =>
        list.map((j) =>
          j.id === change.id
            ? { ...j, status: change.status, progress: change.progress, updatedAt: change.updatedAt }
            : j,
        ),
      );
    } else {
      window.clearTimeout(reloadTimer.current);
      reloadTimer.current = window.setTimeout(() => void load(), 500);
    }
  }, load);

  // the failed jobs of this search (name, engine, date), all of them, not only this page
  const [retried, setRetried] = useState<number | null>(null);
  const retryShown = async () => {
    const filters: Record<string, string> = {};
    for (const f of ['q', 'engine'] as const) if (params.get(f)) filters[f] = params.get(f)!;
    if (params.get('createdFrom'))
      filters.createdFrom = new Date(`${params.get('createdFrom')}T00:00:00`).toISOString();
    try {
      const res = await api<{ retried: number }>('POST', '/jobs/retry', { json: filters });
      setRetried(res.retried);
      await load();
    } catch (err) {
      setErrors(err instanceof ApiError ? err.messages : ['the retry failed']);
    }
  };

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    next.delete('cursor');
    setParams(next, { replace: true });
  };
  // pages are read by cursor (each request reads one page, however many jobs there are); the cursor sits in the URL so Back works
  const goTo = (to: string | null) => {
    const next = new URLSearchParams(params);
    if (to) next.set('cursor', to);
    else next.delete('cursor');
    setParams(next);
  };

  return (
    <section>
      <div className="page-head">
        <h1>Your jobs</h1>
        <div className="actions">
          <Link className="button" to="/new/qc">
            New QC job
          </Link>
          <Link className="button" to="/new/md">
            New MD job
          </Link>
          <Link className="button secondary" to="/new/batch">
            Submit a batch
          </Link>
        </div>
      </div>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search by name
          <input
            type="search"
            value={params.get('q') ?? ''}
            onChange={(e) => setFilter('q', e.target.value)}
            maxLength={100}
          />
        </label>
        <label>
          Status
          <select value={params.get('status') ?? ''} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">any</option>
            {JOB_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Engine
          <select value={params.get('engine') ?? ''} onChange={(e) => setFilter('engine', e.target.value)}>
            <option value="">any</option>
            <option value="xtb">xtb</option>
            <option value="gaussian">Gaussian</option>
            <option value="lammps">LAMMPS</option>
          </select>
        </label>
        <label>
          Created since
          <input
            type="date"
            value={params.get('createdFrom') ?? ''}
            onChange={(e) => setFilter('createdFrom', e.target.value)}
          />
        </label>
      </form>
      {params.get('status') === 'FAILED' && jobs.length > 0 && (
        <p>
          <button type="button" onClick={() => void retryShown()}>
            Retry every failed job that matches
          </button>
          {retried !== null && (
            <span role="status">
              {' '}
              {retried} job{retried === 1 ? '' : 's'} sent back to the queue.
            </span>
          )}
        </p>
      )}
      <FormErrors messages={errors} />
      {loaded && jobs.length === 0 && errors.length === 0 && (
        <p className="empty">No jobs here yet. Submit one with the buttons above.</p>
      )}
      {jobs.length > 0 && (
        <div className="table-wrap">
          <table className="jobs">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Engine</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Submitted</th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <tr key={j.id} data-job={j.id}>
                  <td>
                    <Link to={`/jobs/${j.id}`}>{j.name ?? j.id.slice(0, 8)}</Link>
                  </td>
                  <td>{j.engine}</td>
                  <td>
                    <StatusBadge status={j.status} />
                  </td>
                  <td>
                    {j.status === 'RUNNING' || j.progress > 0 ? (
                      <ProgressBar value={j.progress} label={`progress of ${j.name ?? j.id}`} />
                    ) : null}
                  </td>
                  <td>
                    <time dateTime={j.createdAt}>{new Date(j.createdAt).toLocaleString()}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(cursors.next || cursors.prev) && (
        <nav className="pager" aria-label="Pages">
          <button type="button" disabled={!cursors.prev} onClick={() => goTo(cursors.prev)}>
            Newer
          </button>
          <span>{total.exact ? `${total.n.toLocaleString()} jobs` : `more than ${total.n.toLocaleString()} jobs`}</span>
          <button type="button" disabled={!cursors.next} onClick={() => goTo(cursors.next)}>
            Older
          </button>
        </nav>
      )}
    </section>
  );
}
