import type { operations } from './api-schema';
/** The master's API as the browser uses it: the HttpOnly session cookie carries the sign-in. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly messages: string[],
  ) {
    super(messages.join('; '));
  }

  /**
   * Messages by the form field they name ("qc.xyz: line 3: …", "email must be an email address"
   * → fields["qc.xyz"], fields.email); anything naming none of `known` goes under "".
   */
  fieldsOf(known: string[]): Record<string, string> {
    const out: Record<string, string> = {};
    const byLength = [...known].sort((a, b) => b.length - a.length);
    for (const m of this.messages) {
      const field = byLength.find((f) => m.startsWith(`${f}:`) || m.startsWith(`${f} `) || m.startsWith(`${f}.`)) ?? '';
      const text = field && m.startsWith(`${field}:`) ? m.slice(field.length + 1).trim() : m;
      out[field] = out[field] ? `${out[field]}; ${text}` : text;
    }
    return out;
  }
}

export const SESSION_EXPIRED = 'molq:session-expired';

type Body = { json?: unknown; form?: FormData };

export async function api<T>(method: string, path: string, body: Body = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body.json !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: body.form ?? (body.json !== undefined ? JSON.stringify(body.json) : undefined),
    });
  } catch {
    throw new ApiError(0, ['the server cannot be reached; check your connection and try again']);
  }
  if (res.status === 204) return undefined as T;
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const messages = ([] as string[]).concat(data.message ?? res.statusText ?? 'request failed');
    if (res.status === 401 && !path.startsWith('/auth/')) window.dispatchEvent(new Event(SESSION_EXPIRED));
    throw new ApiError(res.status, messages);
  }
  return data as T;
}

export interface User {
  id: string;
  email: string;
  role: 'user' | 'operator' | 'admin';
  /** Grants beyond the role; `scripts`: may upload LAMMPS input scripts. */
  permissions: string[];
}

/** An account as an admin sees it (Accounts page). */
export interface Account extends User {
  status: 'active' | 'pending' | 'disabled';
  createdAt: string;
}

/** The job list's query, as the master's OpenAPI document declares it (web/src/api-schema.d.ts, generated). */
export type JobListQuery = NonNullable<operations['JobsController_list']['parameters']['query']>;
/** A job's status: the master's own list, through the generated types, so the two cannot drift. */
export type JobStatus = NonNullable<JobListQuery['status']>;
export type JobType = NonNullable<JobListQuery['type']>;
export type Engine = NonNullable<JobListQuery['engine']>;
export const JOB_STATUSES = [
  'PENDING',
  'QUEUED',
  'DISPATCHED',
  'RUNNING',
  'UPLOADING',
  'REPORTING',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
] as const satisfies readonly JobStatus[];
// every status of the master's is listed here: the build fails when one is added there and not here
const everyStatusListed: Exclude<JobStatus, (typeof JOB_STATUSES)[number]> extends never ? true : never = true;
void everyStatusListed;
export const FINAL: JobStatus[] = ['COMPLETED', 'FAILED', 'CANCELLED'];

export interface JobSummary {
  id: string;
  name: string | null;
  type: JobType;
  engine: Engine;
  status: JobStatus;
  progress: number;
  batchId: string | null;
  createdAt: string;
  updatedAt: string;
  /** The first line of its error (the job page has all of it). */
  errorLine?: string | null;
  /** The job whose results it took instead of running. */
  reusedFrom?: string | null;
}

export interface Artifact {
  id: string;
  kind: 'input' | 'output' | 'report';
  name: string;
  size: number;
  sha256: string;
}

/** One job of a batch export (GET /batches/:id/export?format=json). */
export interface ExportRow {
  jobId: string;
  name: string | null;
  /** The job's own labels ({"r_OH": 0.92}), one per label some job of the batch carries (null where it has none). */
  labels: Record<string, number | string | null>;
  status: JobStatus;
  engine: string;
  engineVersion: string | null;
  inputs: Record<string, string | number | boolean | null>;
  values: Record<string, string | number | boolean | null>;
  error: string | null;
}

/** A personal API token as listed (never its secret). */
export interface PersonalToken {
  id: string;
  name: string;
  scope: 'read' | 'submit';
  prefix: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
}

/** One page of GET /jobs: newest first; the total is counted up to 1,000 (totalExact false above). */
export interface JobListPage {
  items: JobSummary[];
  total: number;
  totalExact: boolean;
  nextCursor: string | null;
  prevCursor: string | null;
}

export interface JobDetail extends JobSummary {
  spec: Record<string, unknown>;
  error: string | null;
  schedulerId: string | null;
  /** The exact engine that ran, from its own banner ("LAMMPS (22 Dec 2022)", "xtb 6.5.1"); null until reported. */
  engineVersion: string | null;
  /** The job whose results it took instead of running (nothing computed twice), or null when it ran. */
  reusedFrom: string | null;
  events: { from: JobStatus | null; to: JobStatus; actor: string; message: string | null; at: string }[];
  artifacts: Artifact[];
}

export interface Quantity {
  label: string;
  value: number | string | boolean | null;
  unit: string | null;
}

export interface Report {
  /** Each value with its unit; reports written before units were recorded have only `summary`. */
  quantities?: Quantity[];
  summary: Record<string, number | string | boolean | null>;
  notes: string[];
  /** Plot titles; the plots themselves are in report.html. */
  plots: string[];
}

export interface JobChange {
  id: string;
  batchId: string | null;
  status: JobStatus;
  progress: number;
  updatedAt: string;
}

/** A signed, short-lived URL for one of the job's files. */
export const artifactUrl = async (jobId: string, artifactId: string) =>
  (await api<{ url: string }>('GET', `/jobs/${jobId}/artifacts/${artifactId}/link`)).url;
