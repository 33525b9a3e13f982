import { Injectable, NotFoundException } from '@nestjs/common';
import { ArtifactStore } from '../artifacts/artifact-store';
import { BatchStore, type BatchJobRow } from '../batches/batch-store';
import { labelWithUnit, type Quantity, type QuantityValue } from '../results/quantities';
import { Storage } from '../storage/storage';
import { specInputs, VaryingInputs } from './spec-inputs';

/** One job of a batch as exported: what it is, the inputs that vary in its batch, every reported value with its unit. */
export interface ExportRow {
  jobId: string;
  name: string | null;
  /** The job's own labels, one per label column of the batch (null where this job has none). */
  labels: Record<string, number | string | null>;
  status: string;
  engine: string;
  engineVersion: string | null;
  inputs: Record<string, string | number | boolean | null>;
  values: Record<string, QuantityValue>;
  error: string | null;
}

export interface ExportColumns {
  /** Every label name some job carries, in the order first met (submission order). */
  labels: string[];
  inputs: string[];
  /** "label (unit)" of every value some job reports, in the order first met. */
  values: string[];
}

const CHUNK = 1_000;

/**
 * A batch's results as one table in submission order, read in chunks of CHUNK jobs (keyset on the
 * job's position in its batch, id), so a 100,000-job batch streams in constant memory: a first pass
 * finds the columns (the jobs' own labels, inputs that vary, value labels), a second yields the rows. Values come from jobs.quantities, written with
 * each report; a job reported before that column existed has them read from its report.json.
 */
@Injectable()
export class BatchExportService {
  constructor(
    private readonly batches: BatchStore,
    private readonly artifacts: ArtifactStore,
    private readonly storage: Storage,
  ) {}

  /** The caller's batch (else 404) and its columns. */
  async columns(ownerId: string, batchId: string): Promise<ExportColumns> {
    if (!(await this.batches.owned(ownerId, batchId))) throw new NotFoundException(['id: no such batch']);
    const varying = new VaryingInputs();
    const labels = new Set<string>();
    const values = new Set<string>();
    for await (const chunk of this.chunks(batchId)) {
      for (const job of chunk) {
        varying.add(job.spec);
        for (const name of Object.keys(job.labels ?? {})) labels.add(name);
        for (const q of job.quantities ?? []) values.add(labelWithUnit(q));
      }
    }
    return { labels: [...labels], inputs: varying.paths(), values: [...values] };
  }

  /** The rows, chunk by chunk, in submission order. */
  async *rows(batchId: string, columns: ExportColumns): AsyncGenerator<ExportRow[]> {
    for await (const chunk of this.chunks(batchId)) {
      yield chunk.map((job) => {
        const inputs = specInputs(job.spec);
        const values = Object.fromEntries((job.quantities ?? []).map((q) => [labelWithUnit(q), q.value]));
        return {
          jobId: job.id,
          name: job.name,
          labels: Object.fromEntries(columns.labels.map((name) => [name, job.labels?.[name] ?? null])),
          status: job.status,
          engine: job.engine,
          engineVersion: job.engine_version,
          inputs: Object.fromEntries(columns.inputs.map((path) => [path, inputs[path] ?? null])),
          values: Object.fromEntries(columns.values.map((label) => [label, values[label] ?? null])),
          error: job.error,
        };
      });
    }
  }

  private async *chunks(batchId: string): AsyncGenerator<BatchJobRow[]> {
    let after: [number, string] | null = null;
    for (;;) {
      const rows = await this.batches.jobsPage(batchId, after, CHUNK);
      if (rows.length === 0) return;
      await this.readOlderReports(rows);
      yield rows;
      if (rows.length < CHUNK) return;
      const last = rows[rows.length - 1];
      after = [last.position, last.id];
    }
  }

  /** Jobs completed before jobs.quantities existed: their values from report.json, read in parallel. */
  private async readOlderReports(rows: BatchJobRow[]): Promise<void> {
    const older = rows.filter((r) => r.quantities === null && r.status === 'COMPLETED');
    if (older.length === 0) return;
    const keys = await this.artifacts.reportKeys(older.map((r) => r.id));
    await Promise.all(
      older.map(async (row) => {
        const key = keys.get(row.id);
        if (!key) return;
        try {
          const report = JSON.parse((await this.storage.read(key)).toString('utf8')) as {
            quantities?: Quantity[];
            summary?: Record<string, QuantityValue>;
          };
          row.quantities =
            report.quantities ??
            Object.entries(report.summary ?? {}).map(([label, value]) => ({ label, value, unit: null }));
        } catch {
          // an unreadable report leaves the row without values; the export goes on
        }
      }),
    );
  }
}
