import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type Role = 'user' | 'operator' | 'admin';
export const ROLES: readonly Role[] = ['user', 'operator', 'admin'];

export type UserStatus = 'active' | 'pending' | 'disabled';
export const USER_STATUSES: readonly UserStatus[] = ['active', 'pending', 'disabled'];

/** Grants beyond the role. `scripts`: may upload files an engine reads as commands (LAMMPS input scripts). */
export type Permission = 'scripts';
export const PERMISSIONS: readonly Permission[] = ['scripts'];

@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stored lower-cased; unique. */
  @Column({ type: 'text' })
  email!: string;

  @Column({ name: 'password_hash', type: 'text', select: false })
  passwordHash!: string;

  @Column({ type: 'text', default: 'user' })
  role!: Role;

  /** Carried in access tokens; bumped by logout, password and role changes so older tokens stop working. */
  @Column({ name: 'token_version', type: 'integer', default: 0 })
  tokenVersion!: number;

  /** `pending` until an admin approves (REGISTRATION=approval); `disabled` signs nobody in. */
  @Column({ type: 'text', default: 'active' })
  status!: UserStatus;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  permissions!: Permission[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
