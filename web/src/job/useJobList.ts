import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, type JobListPage, type JobSummary } from '../api';
import { useJobChanges } from '../live';

const PAGE_SIZE = 20;
const FILTERS = ['q', 'status', 'engine', 'createdFrom'] as const;

/**
 * One page of the caller's jobs as the URL asks for it (filters, cursor), kept live: a shown job
 * changes in place, a new one re-reads the page (at most every 0.5 s).
 */
export function useJobList(params: URLSearchParams) {
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
  return { jobs, total, cursors, errors, setErrors, loaded, load };
}
