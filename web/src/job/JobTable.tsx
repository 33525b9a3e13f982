import { Link } from 'react-router';
import type { JobSummary } from '../api';
import { ProgressBar } from '../components/ProgressBar';
import { StatusBadge } from '../components/StatusBadge';

/** Jobs as rows: name (a link), engine, live status and progress, when submitted. */
export function JobTable({ jobs }: { jobs: JobSummary[] }) {
  return (
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
                {j.reusedFrom && (
                  <span className="reused" title={`results reused from job ${j.reusedFrom}`}>
                    reused
                  </span>
                )}
                {j.status === 'FAILED' && j.errorLine && (
                  <span className="job-list-error" title={j.errorLine}>
                    {j.errorLine}
                  </span>
                )}
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
  );
}
