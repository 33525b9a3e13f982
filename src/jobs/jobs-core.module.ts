import { Module } from '@nestjs/common';
import { JobPipeline } from './job-pipeline';
import { RunningQuota } from '../quotas/running-quota';
import { JobTransitions } from './job-transitions';

/** What every process that touches jobs needs: the one state-machine writer. */
@Module({
  providers: [JobTransitions, JobPipeline, RunningQuota],
  exports: [JobTransitions, JobPipeline, RunningQuota],
})
export class JobsCoreModule {}
