import { Injectable } from '@nestjs/common';
import { GroupCommit } from '../common/group-commit';
import { JobPipeline } from '../jobs/job-pipeline';
import type { Job } from '../jobs/job.entity';

/**
 * Submissions share commits: each commit costs a WAL flush (≈2 ms on this class of disk, a
 * ceiling near 500 commits/s), so jobs submitted while one is in flight are inserted together
 * by the next. A request resolves only once its row is durable: the 202 never lies.
 */
@Injectable()
export class JobInsertBatcher {
  private readonly commits: GroupCommit<{ job: Job; actor: string; message?: string }>;

  constructor(pipeline: JobPipeline) {
    this.commits = new GroupCommit<{ job: Job; actor: string; message?: string }>(async (entries) => {
      await pipeline.transaction((tx) => tx.create(entries));
      return entries.map(() => undefined);
    });
  }

  /** `message`: its first event's, when not the usual "submitted". */
  insert(job: Job, actor: string, message?: string): Promise<void> {
    return this.commits.submit({ job, actor, message });
  }
}
