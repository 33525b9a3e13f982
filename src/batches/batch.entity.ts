import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A group of jobs submitted together (bulk submission), reported on as a whole. */
@Entity({ name: 'batches' })
export class Batch {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'owner_id', type: 'uuid' })
  ownerId!: string;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ name: 'job_count', type: 'int' })
  jobCount!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** When the report at 90 % of the jobs finished was written. */
  @Column({ name: 'report_partial_at', type: 'timestamptz', nullable: true })
  reportPartialAt!: Date | null;

  /** When the report with every job finished was written. */
  @Column({ name: 'report_final_at', type: 'timestamptz', nullable: true })
  reportFinalAt!: Date | null;
}
