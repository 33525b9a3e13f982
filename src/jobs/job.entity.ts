import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Quantity } from '../results/quantities';
import type { JobLabels } from './job-labels';
import type { JobSpec } from './job-spec';
import type { Engine, JobType } from './job-status';
import { JobStatus } from './job-status';

/** The truth about one molq job. Its status changes only through JobPipeline (JobTransitions writes it). */
@Entity({ name: 'jobs' })
export class Job {
  /** Also the BullMQ job id in every queue, so enqueueing twice is a no-op. */
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId!: string | null;

  /** Its position in its batch's submission (0, 1, …), the order the batch is read in; null without a batch. */
  @Column({ name: 'batch_index', type: 'int', nullable: true })
  batchIndex!: number | null;

  @Column({ type: 'text' })
  type!: JobType;

  @Column({ type: 'text' })
  engine!: Engine;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'text', default: JobStatus.Pending })
  status!: JobStatus;

  /** BullMQ priority: 1 is highest; 0 means none. */
  @Column({ type: 'int', default: 0 })
  priority!: number;

  /** The submitter's own labels ({"r_OH": 0.92}): export columns and the batch plot's x axis; not engine input. */
  @Column({ type: 'json', default: {} })
  labels!: JobLabels;

  /** The validated submission (engine input, resources). */
  @Column({ type: 'jsonb' })
  spec!: JobSpec;

  /** Fraction 0..1 of the run done, from the engine's log. */
  @Column({ type: 'real', default: 0 })
  progress!: number;

  /** Slurm (or other scheduler) id once submitted. */
  @Column({ name: 'scheduler_id', type: 'text', nullable: true })
  schedulerId!: string | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** The engine that ran it, from its own banner (set with the report). */
  @Column({ name: 'engine_version', type: 'text', nullable: true })
  engineVersion!: string | null;

  /** What it reported, [{label, value, unit}] as in report.json (set with the report, or taken with reused results). */
  @Column({ type: 'jsonb', nullable: true })
  quantities!: Quantity[] | null;

  /** sha256 of what decides its result: engine, rendered inputs, options that change numbers (set at ingestion). */
  @Column({ name: 'input_hash', type: 'text', nullable: true })
  inputHash!: string | null;

  /** May it take the results of an identical COMPLETED job instead of running (default yes)? */
  @Column({ type: 'boolean', default: true })
  reuse!: boolean;

  /** The job whose results it took instead of running, or null. */
  @Column({ name: 'reused_from', type: 'uuid', nullable: true })
  reusedFrom!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
