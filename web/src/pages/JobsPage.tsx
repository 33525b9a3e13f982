import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, ApiError } from '../api';
import { FormErrors } from '../components/Field';
import { JobFilters } from '../job/JobFilters';
import { JobTable } from '../job/JobTable';
import { useJobList } from '../job/useJobList';

export function JobsPage() {
  const [params, setParams] = useSearchParams();
  const { jobs, total, cursors, errors, setErrors, loaded, load } = useJobList(params);

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
      <JobFilters params={params} setFilter={setFilter} />
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
      {jobs.length > 0 && <JobTable jobs={jobs} />}
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
