import { IsIn, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { EnvInt } from '../config/env-decorators';

/**
 * How to reach a Slurm cluster's login node over SSH and run the engines there: shared by the
 * campus bridge and by md/qc pools with EXECUTOR=slurm (same variable names in both).
 */
export class SlurmClusterConfig {
  @IsString()
  SSH_HOST!: string;

  @EnvInt(1, 65_535)
  SSH_PORT = 22;

  @Matches(/^[a-z_][a-z0-9_.-]{0,31}$/, { message: 'must be a login name' })
  SSH_USER!: string;

  /** The cluster's name in scheduler ids (`slurm:<name>:<id>`): only this cluster re-attaches to its jobs. Default: SSH_HOST. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 characters of A-Z a-z 0-9 _ . -' })
  CLUSTER_NAME?: string;

  @IsString()
  SSH_KEY_FILE!: string;

  @Matches(/^SHA256:[A-Za-z0-9+/]{43}$/, {
    message: 'must be the host key fingerprint as ssh-keygen -lf prints it (SHA256:…)',
  })
  SSH_HOST_FINGERPRINT!: string;

  /** Absolute directory on the cluster for job working directories. */
  @Matches(/^\/\S*$/, { message: 'must be an absolute path' })
  REMOTE_WORK_DIR!: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_.,:+-]{1,64}$/, { message: 'must be a Slurm partition name' })
  SLURM_PARTITION?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9_.,:+-]{1,64}$/, { message: 'must be a Slurm account name' })
  SLURM_ACCOUNT?: string;

  @IsString()
  LMP_COMMAND = 'lmp';

  @IsString()
  XTB_COMMAND = 'xtb';

  @IsString()
  G16_COMMAND = 'g16';

  /** Lines run before the engine, separated by ";;", e.g. "module load lammps/2023". */
  @IsOptional()
  @IsString()
  LMP_MODULES?: string;

  @IsOptional()
  @IsString()
  XTB_MODULES?: string;

  @IsOptional()
  @IsString()
  G16_MODULES?: string;

  /**
   * How the batch script confines the engine: `bwrap` (bubblewrap on the compute nodes), `apptainer`
   * (`apptainer exec --containall` of CLUSTER_SANDBOX_IMAGE) or `none` (uploaded scripts are then refused).
   * Checked at start-up by a probe job on the login node.
   */
  @IsIn(['bwrap', 'apptainer', 'none'], { message: 'must be bwrap, apptainer or none' })
  CLUSTER_SANDBOX: 'bwrap' | 'apptainer' | 'none' = 'bwrap';

  /** With CLUSTER_SANDBOX=apptainer: the image (.sif) holding the engines. */
  @ValidateIf((c: SlurmClusterConfig) => c.CLUSTER_SANDBOX === 'apptainer')
  @Matches(/^\/\S+$/, { message: 'must be the absolute path of an image when CLUSTER_SANDBOX=apptainer' })
  CLUSTER_SANDBOX_IMAGE?: string;

  /** With CLUSTER_SANDBOX=bwrap: more read-only paths the engines need, e.g. "/opt/apps,/cm/shared" (module trees). */
  @IsOptional()
  @Matches(/^\/[^,\s]*(,\/[^,\s]*)*$/, { message: 'must be absolute paths separated by commas' })
  CLUSTER_SANDBOX_PATHS?: string;

  /** The launcher's binary on the cluster (bwrap or apptainer), a name on PATH or a path. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_./-]+$/, { message: 'must be a program name or path' })
  CLUSTER_SANDBOX_BIN?: string;
}
