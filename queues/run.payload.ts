import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { JobRefPayload } from './job-ref.payload';

/**
 * An md/qc run: the molq job id (all state lives in PostgreSQL) plus what an operator looking at
 * the queue wants to see — engine, owner, job name. Never secrets or inputs.
 */
export class RunPayload extends JobRefPayload {
  @IsOptional()
  @IsIn(['lammps', 'gaussian', 'xtb'])
  engine?: string;

  @IsOptional()
  @IsUUID('4')
  owner?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

/** The run payload of a job row. */
export function runPayload(job: { id: string; engine: string; ownerId: string; name: string | null }): RunPayload {
  return {
    jobId: job.id,
    engine: job.engine,
    owner: job.ownerId,
    ...(job.name ? { name: job.name.slice(0, 200) } : {}),
  };
}
