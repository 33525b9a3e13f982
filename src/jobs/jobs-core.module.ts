import { Module } from '@nestjs/common';
import { JobPipeline } from './job-pipeline';
import { RunningQuota } from '../quotas/running-quota';
import { JobTransitions } from './job-transitions';
import { ArtifactStore } from '../artifacts/artifact-store';
import { JobStore } from './job-store';
import { BatchStore } from '../batches/batch-store';
import { UsersModule } from '../users/users.module';

/** What every process that touches jobs needs: the one state-machine writer and the jobs', artifacts' and batches' stores. */
@Module({
  imports: [UsersModule],
  providers: [JobTransitions, JobPipeline, RunningQuota, JobStore, ArtifactStore, BatchStore],
  exports: [JobPipeline, RunningQuota, JobStore, ArtifactStore, BatchStore],
})
export class JobsCoreModule {}
