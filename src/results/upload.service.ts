import { Injectable } from '@nestjs/common';
import type { ProducedFile } from '../executor/executor';
import { JobStatus } from '../jobs/job-status';
import { JobPipeline } from '../jobs/job-pipeline';
import { jobKeys } from '../storage/job-keys';
import { Storage } from '../storage/storage';
import { contentTypeOf } from './content-types';
import { JobStore } from '../jobs/job-store';
import { ArtifactStore, type NewArtifact } from '../artifacts/artifact-store';

/** A staged file that is missing or does not match the manifest the executor sent. */
export class StagedFileError extends Error {}

const ACTOR = 'worker:upload';
/** Engine logs (log.lammps, input.log, stdout/stderr) are kind "log"; the rest "output". */
const LOG_FILE = /\.log$|^log\.|^std(out|err)/;

/**
 * Moves a finished run's staged files into the job's results: each file's size and sha256
 * are checked against the executor's manifest as it is moved, then recorded as an artifact;
 * the job goes to REPORTING and onto the reports queue.
 */
@Injectable()
export class UploadService {
  constructor(
    private readonly jobs: JobStore,
    private readonly artifactStore: ArtifactStore,
    private readonly pipeline: JobPipeline,
    private readonly storage: Storage,
  ) {}

  /** Number of storage calls an upload makes (for the shared limiter). */
  async plannedCalls(jobId: string): Promise<number> {
    return (await this.manifest(jobId)).length * 2 + 1;
  }

  private async manifest(jobId: string): Promise<ProducedFile[]> {
    const raw = await this.storage.read(jobKeys.stagingManifest(jobId)).catch(() => null);
    if (!raw) throw new StagedFileError(`staging-manifest.json of job ${jobId} is missing`);
    return (JSON.parse(raw.toString('utf8')) as { files: ProducedFile[] }).files;
  }

  async upload(jobId: string): Promise<'reporting' | 'skipped'> {
    const job = await this.jobs.get(jobId);
    if (!job || job.status !== JobStatus.Uploading) return 'skipped';
    const files = await this.manifest(jobId);
    const artifacts: NewArtifact[] = [];
    for (const f of files) {
      const stored = await this.moveVerified(jobId, f);
      artifacts.push({
        jobId,
        kind: LOG_FILE.test(f.name) ? 'log' : 'output',
        name: f.name,
        storageKey: stored,
        size: String(f.size),
        sha256: f.sha256,
        contentType: contentTypeOf(f.name),
      });
    }
    const moved = await this.pipeline.transaction(async (tx) => {
      const moving = await tx.advance([jobId], JobStatus.Reporting, {
        from: JobStatus.Uploading,
        actor: ACTOR,
        message: `${artifacts.length} result file(s) verified and stored`,
      });
      if (moving.length > 0) await this.artifactStore.replace(tx.manager, [jobId], ['output', 'log'], artifacts);
      return moving.length > 0;
    });
    return moved ? 'reporting' : 'skipped';
  }

  /**
   * Moves one staged file into the results, its size and sha256 checked against the manifest before
   * it is accepted (local storage renames it; others copy). A file an earlier try moved before it
   * could record the job is found at its result key and checked there.
   */
  private async moveVerified(jobId: string, file: ProducedFile): Promise<string> {
    const source = jobKeys.staging(jobId, file.name);
    const target = jobKeys.result(jobId, file.name);
    const head = await this.storage.head(source);
    if (!head) {
      const moved = (await this.storage.head(target)) ? await this.storage.measure(target) : null;
      if (moved && moved.size === file.size && moved.sha256 === file.sha256) return target;
      throw new StagedFileError(`file ${file.name}: not staged`);
    }
    if (head.size !== file.size)
      throw new StagedFileError(`file ${file.name}: ${head.size} bytes staged, the manifest says ${file.size}`);
    await this.storage.move(source, target, (stored) => {
      const mismatch = [
        stored.size !== file.size ? `${stored.size} bytes stored, the manifest says ${file.size}` : null,
        stored.sha256 !== file.sha256 ? `sha256 ${stored.sha256} does not match the manifest's ${file.sha256}` : null,
      ].filter(Boolean);
      if (mismatch.length > 0) throw new StagedFileError(`file ${file.name}: ${mismatch.join('; ')}`);
    });
    return target;
  }

  async fail(jobId: string, message: string): Promise<void> {
    await this.pipeline.advance(jobId, JobStatus.Failed, {
      from: JobStatus.Uploading,
      actor: ACTOR,
      message,
      patch: { error: message },
    });
  }
}
