/**
 * A seccomp filter for engine runs (bubblewrap's --seccomp): system calls no engine needs and
 * that widen the kernel surface a hostile job can reach fail with EPERM — mounts and namespaces,
 * kernel modules and keyrings, bpf, perf, userfaultfd, io_uring, ptrace, clock and host settings —
 * in the spirit of Docker's and Flatpak's default profiles. Everything else is allowed (LAMMPS,
 * OpenMPI's shared memory and process_vm_readv, xtb's OpenMP and BLAS need nothing listed). A
 * classic BPF program, built here without libseccomp: x86-64 only (other architectures, and the
 * x32 and i386 ABIs on x86-64, get EPERM for every call through the filter's arch check).
 */

/** x86-64 numbers (arch/x86/entry/syscalls/syscall_64.tbl). */
export const BLOCKED_SYSCALLS_X86_64: Record<string, number> = {
  ptrace: 101,
  syslog: 103,
  uselib: 134,
  vhangup: 153,
  pivot_root: 155,
  _sysctl: 156,
  adjtimex: 159,
  chroot: 161,
  acct: 163,
  settimeofday: 164,
  mount: 165,
  umount2: 166,
  swapon: 167,
  swapoff: 168,
  reboot: 169,
  sethostname: 170,
  setdomainname: 171,
  iopl: 172,
  ioperm: 173,
  create_module: 174,
  init_module: 175,
  delete_module: 176,
  get_kernel_syms: 177,
  query_module: 178,
  quotactl: 179,
  nfsservctl: 180,
  lookup_dcookie: 212,
  clock_settime: 227,
  kexec_load: 246,
  add_key: 248,
  request_key: 249,
  keyctl: 250,
  unshare: 272,
  perf_event_open: 298,
  fanotify_init: 300,
  name_to_handle_at: 303,
  open_by_handle_at: 304,
  clock_adjtime: 305,
  setns: 308,
  kcmp: 312,
  finit_module: 313,
  kexec_file_load: 320,
  bpf: 321,
  userfaultfd: 323,
  io_uring_setup: 425,
  io_uring_enter: 426,
  io_uring_register: 427,
  open_tree: 428,
  move_mount: 429,
  fsopen: 430,
  fsconfig: 431,
  fsmount: 432,
  fspick: 433,
  pidfd_getfd: 438,
  mount_setattr: 442,
};

const AUDIT_ARCH_X86_64 = 0xc000003e;
const X32_SYSCALL_BIT = 0x40000000;
const LD_W_ABS = 0x20;
const JEQ_K = 0x15;
const JGE_K = 0x35;
const RET_K = 0x06;
const RET_ALLOW = 0x7fff0000;
const RET_EPERM = 0x00050000 | 1;

/** The filter as the kernel's struct sock_filter array (8 bytes each, little-endian). */
export function seccompProgram(blocked: number[] = Object.values(BLOCKED_SYSCALLS_X86_64)): Buffer {
  const program: [number, number, number, number][] = [];
  const denyAt = 5 + blocked.length + 1; // index of the final RET EPERM
  const jumpTo = (from: number, target: number) => target - from - 1;
  program.push([LD_W_ABS, 0, 0, 4]); // seccomp_data.arch
  program.push([JEQ_K, 1, 0, AUDIT_ARCH_X86_64]);
  program.push([RET_K, 0, 0, RET_EPERM]);
  program.push([LD_W_ABS, 0, 0, 0]); // seccomp_data.nr
  program.push([JGE_K, jumpTo(4, denyAt), 0, X32_SYSCALL_BIT]);
  blocked.forEach((nr, i) => program.push([JEQ_K, jumpTo(5 + i, denyAt), 0, nr]));
  program.push([RET_K, 0, 0, RET_ALLOW]);
  program.push([RET_K, 0, 0, RET_EPERM]);
  if (program.length !== denyAt + 1 || denyAt - 5 > 255) throw new Error('seccomp: program layout');
  const out = Buffer.alloc(program.length * 8);
  program.forEach(([code, jt, jf, k], i) => {
    out.writeUInt16LE(code, i * 8);
    out.writeUInt8(jt, i * 8 + 2);
    out.writeUInt8(jf, i * 8 + 3);
    out.writeUInt32LE(k >>> 0, i * 8 + 4);
  });
  return out;
}
