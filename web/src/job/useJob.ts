import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, artifactUrl, type Artifact, type JobDetail, type Report } from '../api';
import { useJobChanges } from '../live';

/**
 * One job, kept current: read once, read again on each status change the event stream announces
 * (progress alone is patched in), and its report (numbers from report.json, plots from report.html).
 */
export function useJob(id: string) {
  const [job, setJob] = useState<JobDetail | null>(null);
  const [notFound, setNotFound] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  const [report, setReport] = useState<Report | null>(null);
  const [reportHtml, setReportHtml] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setJob(await api<JobDetail>('GET', `/jobs/${id}`));
    } catch (err) {
      if (err instanceof ApiError && (err.status === 404 || err.status === 400)) setNotFound(true);
      else setErrors(err instanceof ApiError ? err.messages : ['could not load the job']);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  const shownStatus = useRef<string | undefined>(undefined);
  shownStatus.current = job?.status;
  useJobChanges((change) => {
    if (change.id !== id) return;
    if (change.status !== shownStatus.current)
      void load(); // a new status: read the timeline and files again
    else setJob((j) => (j ? { ...j, progress: change.progress } : j));
  }, load);

  // the report: its numbers from report.json, its plots from the self-contained report.html (shown sandboxed: no scripts, no site access)
  const reportJson = job?.artifacts.find((a) => a.kind === 'report' && a.name === 'report.json');
  const reportPage = job?.artifacts.find((a) => a.kind === 'report' && a.name === 'report.html');
  useEffect(() => {
    if (!job || !reportJson) return;
    let cancelled = false;
    const fetchText = async (a: Artifact) => {
      const res = await fetch(await artifactUrl(job.id, a.id));
      return res.ok ? res.text() : null;
    };
    void (async () => {
      try {
        const json = await fetchText(reportJson);
        const html = reportPage ? await fetchText(reportPage) : null;
        if (cancelled) return;
        if (json) setReport(JSON.parse(json) as Report);
        setReportHtml(html);
      } catch {
        // the downloads below still work
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [job?.id, reportJson?.id, reportPage?.id]);
  return { job, notFound, errors, setErrors, load, report, reportHtml };
}
