import { Module } from '@nestjs/common';
import { JobPipeline } from './job-pipeline';
import { RunningQuota } from '../quotas/running-quota';
import { JobTransitions } from './job-transitions';
import { ArtifactStore } from '../artifacts/artifact-store';
import { JobStore } from './job-store';

/** What every process that touches jobs needs: the one state-machine writer and the jobs' and artifacts' stores. */
@Module({
  providers: [JobTransitions, JobPipeline, RunningQuota, JobStore, ArtifactStore],
  exports: [JobTransitions, JobPipeline, RunningQuota, JobStore, ArtifactStore],
})
export class JobsCoreModule {}
