import { Module } from '@nestjs/common';
import { RunningQuota } from '../quotas/running-quota';
import { JobTransitions } from './job-transitions';

/** What every process that touches jobs needs: the one state-machine writer. */
@Module({ providers: [JobTransitions, RunningQuota], exports: [JobTransitions, RunningQuota] })
export class JobsCoreModule {}
