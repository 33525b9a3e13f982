import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Artifact } from '../artifacts/artifact.entity';
import { JobStatus } from '../jobs/job-status';
import { JobTransitions } from '../jobs/job-transitions';
import { Job } from '../jobs/job.entity';
import { jobKeys } from '../storage/job-keys';
import { Storage } from '../storage/storage';
import { buildReport } from './report-builder';
import { reportHtml } from './report-html';
import { ArtifactStore } from '../artifacts/artifact-store';

const ACTOR = 'worker:reports';

/** Parses a job's outputs into report.json and report.html (artifacts) and completes the job. */
@Injectable()
export class ReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: JobTransitions,
    private readonly storage: Storage,
  ) {}

  async report(jobId: string): Promise<'completed' | 'skipped'> {
    const job = await this.dataSource.getRepository(Job).findOneBy({ id: jobId });
    if (!job || job.status !== JobStatus.Reporting) return 'skipped';
    const outputs = await this.dataSource.getRepository(Artifact).find({
      where: [
        { jobId, kind: 'output' },
        { jobId, kind: 'log' },
      ],
    });
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
    const artifacts: Omit<Artifact, 'id' | 'createdAt'>[] = [];
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
    await this.dataSource.transaction(async (m) => {
      await ArtifactStore.replace(m, [jobId], ['report'], artifacts);
      await m.query('UPDATE jobs SET engine_version = $2, quantities = $3 WHERE id = $1', [
        jobId,
        report.engineVersion,
        JSON.stringify(report.quantities),
      ]);
      await this.transitions.transitionWithin(m, jobId, JobStatus.Completed, {
        actor: ACTOR,
        message: `report with ${plots.length} plot(s)`,
      });
    });
    return 'completed';
  }

  async batchOf(jobId: string): Promise<string | null> {
    return (
      (await this.dataSource.getRepository(Job).findOne({ select: { batchId: true }, where: { id: jobId } }))
        ?.batchId ?? null
    );
  }

  async fail(jobId: string, message: string): Promise<void> {
    const job = await this.dataSource.getRepository(Job).findOneBy({ id: jobId });
    if (job?.status !== JobStatus.Reporting) return;
    await this.transitions.transition(jobId, JobStatus.Failed, {
      actor: ACTOR,
      message: `report failed: ${message}`,
      patch: { error: message },
    });
  }
}
