import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { JobStatus } from './job-status';

/** One row per state transition: the audit trail of a job. */
@Entity({ name: 'job_events' })
export class JobEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'job_id', type: 'uuid' })
  jobId!: string;

  @Column({ name: 'from_status', type: 'text', nullable: true })
  fromStatus!: JobStatus | null;

  @Column({ name: 'to_status', type: 'text' })
  toStatus!: JobStatus;

  /** Who caused it: "user:<id>", "worker:<queue>", "token:<name>", "reconciler", "system". */
  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'text', nullable: true })
  message!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
