import { IsUUID } from 'class-validator';

/** The payload of a queue whose work is "advance this molq job": all state lives in PostgreSQL. */
export class JobRefPayload {
  @IsUUID('4')
  jobId!: string;
}
