import { Injectable } from '@nestjs/common';
import { JobStatus } from '../jobs/job-status';
import { JobPipeline } from '../jobs/job-pipeline';
import { jobKeys } from '../storage/job-keys';
import { Storage } from '../storage/storage';
import { buildReport } from './report-builder';
import { reportHtml } from './report-html';
import { JobStore } from '../jobs/job-store';
import { ArtifactStore, type NewArtifact } from '../artifacts/artifact-store';

const ACTOR = 'worker:reports';

/** Parses a job's outputs into report.json and report.html (artifacts) and completes the job. */
@Injectable()
export class ReportService {
  constructor(
    private readonly jobs: JobStore,
    private readonly artifactStore: ArtifactStore,
    private readonly pipeline: JobPipeline,
    private readonly storage: Storage,
  ) {}

  async report(jobId: string): Promise<'completed' | 'skipped'> {
    const job = await this.jobs.get(jobId);
    if (!job || job.status !== JobStatus.Reporting) return 'skipped';
    const outputs = await this.artifactStore.ofJob(jobId, ['output', 'log']);
    const read = async (name: string) => {
      const a = outputs.find((o) => o.name === name);
      return a ? (await this.storage.read(a.storageKey)).toString('utf8') : null;
    };
    const report = await buildReport(job, read);
    const { plots, ...data } = report;
    const files = [
      {
        name: 'report.json',
        body: Buffer.from(`${JSON.stringify({ ...data, plots: plots.map((p) => p.title) }, null, 2)}\n`),
        type: 'application/json',
      },
      { name: 'report.html', body: Buffer.from(reportHtml(report)), type: 'text/html; charset=utf-8' },
    ];
    const artifacts: NewArtifact[] = [];
    for (const f of files) {
      const stored = await this.storage.put(jobKeys.report(jobId, f.name), f.body);
      artifacts.push({
        jobId,
        kind: 'report' as const,
        name: f.name,
        storageKey: stored.key,
        size: String(stored.size),
        sha256: stored.sha256,
        contentType: f.type,
      });
    }
    return this.pipeline.transaction<'completed' | 'skipped'>(async (tx) => {
      const moved = await tx.advance([jobId], JobStatus.Completed, {
        from: JobStatus.Reporting,
        actor: ACTOR,
        message: `report with ${plots.length} plot(s)`,
        patch: { engineVersion: report.engineVersion, quantities: report.quantities },
      });
      if (moved.length === 0) return 'skipped';
      await this.artifactStore.replace(tx.manager, [jobId], ['report'], artifacts);
      return 'completed';
    });
  }

  async batchOf(jobId: string): Promise<string | null> {
    return this.jobs.batchOf(jobId);
  }

  async fail(jobId: string, message: string): Promise<void> {
    await this.pipeline.advance(jobId, JobStatus.Failed, {
      from: JobStatus.Reporting,
      actor: ACTOR,
      message: `report failed: ${message}`,
      patch: { error: message },
    });
  }
}
