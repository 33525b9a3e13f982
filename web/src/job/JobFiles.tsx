import { artifactUrl, type Artifact } from '../api';

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

/** A job's files (inputs, outputs, report) with size and sha256, each downloadable. */
export function JobFiles({
  jobId,
  artifacts,
  onError,
}: {
  jobId: string;
  artifacts: Artifact[];
  onError: (message: string) => void;
}) {
  return (
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
          {artifacts.map((a) => (
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
                  onClick={() => void download(jobId, a).catch(() => onError(`could not download ${a.name}`))}
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
  );
}
