import { Link, useParams } from 'react-router';
import { api, ApiError, FINAL } from '../api';
import { FormErrors } from '../components/Field';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';
import { JobFiles } from '../job/JobFiles';
import { JobReport } from '../job/JobReport';
import { JobStructures } from '../job/JobStructures';
import { useJob } from '../job/useJob';

export function JobPage() {
  const { id = '' } = useParams();
  const { job, notFound, errors, setErrors, load, report, reportHtml } = useJob(id);

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
      {job.type === 'qc' && <JobStructures job={job} />}
      {report && <JobReport report={report} reportHtml={reportHtml} />}
      {job.artifacts.length > 0 && (
        <JobFiles jobId={job.id} artifacts={job.artifacts} onError={(message) => setErrors([message])} />
      )}
    </section>
  );
}
