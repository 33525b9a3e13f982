import { shellQuote } from '../slurm/shell-quote';

/** Where a job's work dir appears inside every sandbox. */
export const SANDBOX_WORKDIR = '/job';

/** An argv word: literal, or (in a batch script only) a variable of the launching shell, expanded at run time. */
export type Word = string | { hostEnv: string };

export interface SandboxLimits {
  /** RLIMIT_AS, bytes. */
  addressSpaceBytes: number;
  /** RLIMIT_NPROC (counted per real uid: every sandbox of the node shares it). */
  processes: number;
  /** RLIMIT_FSIZE, bytes: the largest file the run may write. */
  fileSizeBytes: number;
}

export interface SandboxSpec {
  /** The job's work dir on the host (bound read-write at SANDBOX_WORKDIR, the only writable path beside a private /tmp). */
  workdir: string;
  /** The engine's argv as seen inside (program first). */
  command: Word[];
  /** The whole environment inside (nothing else of the launcher's environment passes). */
  env: Record<string, string>;
  /** Launcher variables copied in at run time (a cluster's PATH after `module load`). */
  passEnv?: string[];
  /** More host paths visible read-only (a cluster's software tree such as /opt/apps). */
  readOnly?: string[];
  limits: SandboxLimits;
  /** Local runs (a bubblewrap of known version, 0.8+): the tighter walls below; clusters' older bwraps lack them. */
  hardening?: SandboxHardening;
}

export interface SandboxHardening {
  /** Size of the private /tmp, bytes (/dev/shm gets half): RAM-backed, so bounded by the run's memory. */
  tmpfsBytes: number;
  /** The fd (in the launched process) of a seccomp BPF program for bubblewrap's --seccomp. */
  seccompFd?: number;
}

/** The environment inside: no molq variable, the work dir as home, OpenMPI kept on loopback (a new network namespace has nothing else). */
export function engineEnvironment(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    HOME: SANDBOX_WORKDIR,
    TMPDIR: '/tmp',
    LANG: 'C.UTF-8',
    OMPI_MCA_btl_tcp_if_include: 'lo',
    OMPI_MCA_oob_tcp_if_include: 'lo',
    OMPI_MCA_plm: 'isolated',
    PMIX_MCA_gds: 'hash',
    ...extra,
  };
}

/** Defaults of a cluster run's limits (Slurm enforces memory and time itself). */
export const CLUSTER_LIMITS: SandboxLimits = {
  addressSpaceBytes: 64 * 1024 ** 3,
  processes: 4_096,
  fileSizeBytes: 64 * 1024 ** 3,
};

/** What of the host's /etc the engines need: the dynamic linker's cache, Debian's alternatives (BLAS), OpenMPI's defaults. */
const ETC_READ_ONLY = [
  '/etc/alternatives',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/openmpi',
  '/etc/localtime',
];
/** The system's programs and libraries; on merged-/usr systems the top-level ones are symlinks and bind as their targets. */
const SYSTEM_READ_ONLY = ['/usr', '/bin', '/sbin', '/lib', '/lib64', '/lib32', '/libx32'];

/** prlimit (util-linux) sets the limits, then execs the engine: no shell in between. */
function limited(spec: SandboxSpec): Word[] {
  const { addressSpaceBytes, processes, fileSizeBytes } = spec.limits;
  return [
    '/usr/bin/prlimit',
    `--as=${addressSpaceBytes}`,
    `--nproc=${processes}`,
    `--fsize=${fileSizeBytes}`,
    '--core=0',
    '--',
    ...spec.command,
  ];
}

/**
 * bubblewrap: new user, pid, network, ipc, uts and cgroup namespaces; a read-only /usr and the
 * few /etc files the engines need; a fresh /proc and /dev; a private /tmp; the work dir as the only
 * writable path; a cleared environment; killed with its parent; limits applied before the engine.
 * Hardened (local runs): no nested user namespaces, a seccomp filter, /tmp and /dev/shm of a set
 * size, / and /dev read-only.
 */
export function bubblewrapCommand(spec: SandboxSpec, bwrap = 'bwrap'): Word[] {
  const words: Word[] = [
    bwrap,
    '--die-with-parent',
    '--new-session',
    '--unshare-all',
    '--cap-drop',
    'ALL',
    '--hostname',
    'molq-sandbox',
  ];
  for (const path of [...SYSTEM_READ_ONLY, ...ETC_READ_ONLY]) words.push('--ro-bind-try', path, path);
  const hardening = spec.hardening;
  if (hardening) words.push('--unshare-user', '--disable-userns');
  words.push('--proc', '/proc', '--dev', '/dev');
  if (hardening)
    words.push('--size', String(Math.floor(hardening.tmpfsBytes / 2)), '--tmpfs', '/dev/shm', '--remount-ro', '/dev');
  if (hardening) words.push('--size', String(hardening.tmpfsBytes));
  words.push('--tmpfs', '/tmp');
  for (const path of spec.readOnly ?? []) words.push('--ro-bind-try', path, path); // after the private /tmp, which would hide them
  words.push('--bind', spec.workdir, SANDBOX_WORKDIR, '--chdir', SANDBOX_WORKDIR, '--clearenv');
  for (const [name, value] of Object.entries(spec.env)) words.push('--setenv', name, value);
  for (const name of spec.passEnv ?? []) words.push('--setenv', name, { hostEnv: name });
  if (hardening) words.push('--remount-ro', '/'); // the sandbox's own root tmpfs: nothing to write there
  if (hardening?.seccompFd !== undefined) words.push('--seccomp', String(hardening.seccompFd));
  words.push('--', ...limited(spec));
  return words;
}

/**
 * Apptainer: --containall (own pid/ipc namespaces, no home, clean environment), no network,
 * the work dir bound at SANDBOX_WORKDIR; the image brings its own system.
 */
export function apptainerCommand(spec: SandboxSpec, image: string, apptainer = 'apptainer'): Word[] {
  const words: Word[] = [
    apptainer,
    'exec',
    '--containall',
    '--no-home',
    '--net',
    '--network',
    'none',
    '--bind',
    `${spec.workdir}:${SANDBOX_WORKDIR}`,
    '--pwd',
    SANDBOX_WORKDIR,
  ];
  for (const [name, value] of Object.entries(spec.env)) words.push('--env', `${name}=${value}`);
  words.push(image, ...limited(spec));
  return words;
}

/** One shell word per argv word: literals single-quoted, launcher variables as "${NAME:-}". */
export function shellWords(words: Word[]): string {
  return words.map((w) => (typeof w === 'string' ? shellQuote(w) : `"\${${w.hostEnv}:-}"`)).join(' ');
}

/** The argv of a local launch: every word must be literal. */
export function literalWords(words: Word[]): string[] {
  return words.map((w) => {
    if (typeof w !== 'string') throw new Error(`sandbox: ${w.hostEnv} can only be expanded in a batch script`);
    return w;
  });
}
