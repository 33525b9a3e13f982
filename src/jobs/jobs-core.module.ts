import { Module } from '@nestjs/common';
import { JobTransitions } from './job-transitions';

/** What every process that touches jobs needs: the one state-machine writer. */
@Module({ providers: [JobTransitions], exports: [JobTransitions] })
export class JobsCoreModule {}
