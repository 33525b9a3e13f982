import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError, artifactUrl, FINAL, type Artifact, type JobDetail, type Report } from '../api';
import { FormErrors } from '../components/Field';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { useJobChanges } from '../live';

const formatSize = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`;

/** Fetches a file through its signed link and saves it under its own name. */
async function download(jobId: string, artifact: Artifact) {
  const a = document.createElement('a');
  a.href = await artifactUrl(jobId, artifact.id);
  a.download = artifact.name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function JobPage() {
  const { id = '' } = useParams();
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

  if (notFound) {
    return (
      <section>
        <h1>Job not found</h1>
        <p>There is no job {id} among yours.</p>
        <Link to="/">Back to your jobs</Link>
      </section>
    );
  }
  if (!job) return <FormErrors messages={errors} />;

  const cancel = async () => {
    try {
      await api('POST', `/jobs/${job.id}/cancel`);
      await load();
    } catch (err) {
      setErrors(err instanceof ApiError ? err.messages : ['could not cancel']);
    }
  };

  return (
    <section className="job">
      <div className="page-head">
        <h1>{job.name ?? `Job ${job.id.slice(0, 8)}`}</h1>
        <StatusBadge status={job.status} />
        {!FINAL.includes(job.status) && (
          <button type="button" className="danger" onClick={cancel}>
            Cancel job
          </button>
        )}
      </div>
      <FormErrors messages={errors} />
      {!FINAL.includes(job.status) && <ProgressBar value={job.progress} label="job progress" />}
      {job.error && (
        <div className="job-error" role="alert">
          <h2>What went wrong</h2>
          <pre>{job.error}</pre>
        </div>
      )}
      <div className="columns">
        <div>
          <h2>Details</h2>
          <dl className="facts">
            <dt>Engine</dt>
            <dd>{job.engineVersion ?? job.engine}</dd>
            {job.reusedFrom && (
              <>
                <dt>Results</dt>
                <dd>
                  reused from <Link to={`/jobs/${job.reusedFrom}`}>{job.reusedFrom.slice(0, 8)}</Link> (same engine,
                  inputs and options; no engine ran)
                </dd>
              </>
            )}
            <dt>Type</dt>
            <dd>{job.type === 'md' ? 'molecular dynamics' : 'quantum chemistry'}</dd>
            <dt>Job id</dt>
            <dd>
              <code>{job.id}</code>
            </dd>
            {job.schedulerId && (
              <>
                <dt>Scheduler id</dt>
                <dd>{job.schedulerId}</dd>
              </>
            )}
            {job.batchId && (
              <>
                <dt>Batch</dt>
                <dd>
                  <Link to={`/batches/${job.batchId}`}>{job.batchId.slice(0, 8)}</Link>
                </dd>
              </>
            )}
          </dl>
          <details>
            <summary>Submitted specification</summary>
            <pre className="spec">{JSON.stringify(job.spec, null, 2)}</pre>
          </details>
        </div>
        <div>
          <h2>Timeline</h2>
          <ol className="timeline">
            {job.events.map((e, i) => (
              <li key={i}>
                <time dateTime={e.at}>{new Date(e.at).toLocaleTimeString()}</time> <StatusBadge status={e.to} />{' '}
                <span>{e.message}</span>
              </li>
            ))}
          </ol>
        </div>
      </div>
      {report && (
        <div className="report">
          <h2>Report</h2>
          <table className="summary">
            <tbody>
              {(
                report.quantities ??
                Object.entries(report.summary).map(([label, value]) => ({ label, value, unit: null }))
              ).map((q) => (
                <tr key={q.label}>
                  <th scope="row">{q.label}</th>
                  <td>{q.value === null ? '—' : String(q.value)}</td>
                  <td className="unit">{q.unit ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.notes.length > 0 && (
            <ul className="notes">
              {report.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
          {reportHtml && (
            <iframe
              className="report-frame"
              title={`Report with ${report.plots.length} plot(s)`}
              sandbox=""
              srcDoc={reportHtml}
            />
          )}
        </div>
      )}
      {job.artifacts.length > 0 && (
        <div>
          <h2>Files</h2>
          <table className="files">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Kind</th>
                <th scope="col">Size</th>
                <th scope="col">SHA-256</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {job.artifacts.map((a) => (
                <tr key={a.id}>
                  <td>{a.name}</td>
                  <td>{a.kind}</td>
                  <td>{formatSize(a.size)}</td>
                  <td>
                    <code title={a.sha256}>{a.sha256.slice(0, 12)}…</code>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => void download(job.id, a).catch(() => setErrors([`could not download ${a.name}`]))}
                      aria-label={`Download ${a.name}`}
                    >
                      Download
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
