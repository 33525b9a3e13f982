import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError, JOB_STATUSES, type JobStatus, type JobSummary } from '../api';
import { BatchResults } from '../components/BatchResults';
import { FormErrors } from '../components/Field';
import { StatusBadge } from '../components/StatusBadge';
import { useJobChanges } from '../live';

interface Batch {
  id: string;
  name: string | null;
  jobCount: number;
  createdAt: string;
  counts: Record<JobStatus, number>;
  reports: { partial: { at: string; url: string } | null; final: { at: string; url: string } | null };
}

export function BatchPage() {
  const { id = '' } = useParams();
  const [batch, setBatch] = useState<Batch | null>(null);
  const [jobs, setJobs] = useState<JobSummary[]>([]);
  const [errors, setErrors] = useState<string[]>([]);

  const load = useCallback(async () => {
    try {
      const [b, list] = await Promise.all([
        api<Batch>('GET', `/batches/${id}`),
        api<{ items: JobSummary[] }>('GET', `/jobs?batchId=${id}&pageSize=100`),
      ]);
      setBatch(b);
      setJobs(list.items);
    } catch (err) {
      setErrors(err instanceof ApiError ? err.messages : ['could not load the batch']);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);
  const timer = useRef<number | undefined>(undefined);
  useJobChanges((change) => {
    if (change.batchId !== id) return;
    window.clearTimeout(timer.current); // many jobs change at once: read the batch once they settle
    timer.current = window.setTimeout(() => void load(), 300);
  }, load);

  const retryFailed = async () => {
    try {
      await api('POST', '/jobs/retry', { json: { batchId: id } });
      await load();
    } catch (err) {
      setErrors(err instanceof ApiError ? err.messages : ['the retry failed']);
    }
  };

  if (!batch) return <FormErrors messages={errors} />;
  const finished = batch.counts.COMPLETED + batch.counts.FAILED + batch.counts.CANCELLED;
  const report = batch.reports.final ?? batch.reports.partial;
  return (
    <section>
      <h1>Batch {batch.name ?? batch.id.slice(0, 8)}</h1>
      <p>
        {finished} of {batch.jobCount} jobs finished.
      </p>
      <ul className="counts">
        {JOB_STATUSES.filter((s) => batch.counts[s] > 0).map((s) => (
          <li key={s}>
            <StatusBadge status={s} /> {batch.counts[s]}
          </li>
        ))}
      </ul>
      {batch.counts.FAILED > 0 && (
        <p>
          <button type="button" onClick={() => void retryFailed()}>
            Retry the {batch.counts.FAILED} failed job{batch.counts.FAILED === 1 ? '' : 's'}
          </button>
        </p>
      )}
      {report && (
        <p>
          <a className="button" href={report.url}>
            Download the {batch.reports.final ? 'final' : 'partial (90 %)'} batch report
          </a>
        </p>
      )}
      <BatchResults batchId={batch.id} jobCount={batch.jobCount} finished={finished} />
      <FormErrors messages={errors} />
      <h2>Jobs</h2>
      <table className="jobs">
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id}>
              <td>
                <Link to={`/jobs/${j.id}`}>{j.name ?? j.id.slice(0, 8)}</Link>
              </td>
              <td>
                <StatusBadge status={j.status} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
