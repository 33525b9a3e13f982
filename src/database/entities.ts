import { Artifact } from '../artifacts/artifact.entity';
import { Batch } from '../batches/batch.entity';
import { JobEvent } from '../jobs/job-event.entity';
import { Job } from '../jobs/job.entity';
import { User } from '../users/user.entity';
import { WorkerToken } from '../worker-tokens/worker-token.entity';

export const ENTITIES = [User, WorkerToken, Batch, Job, JobEvent, Artifact];
