import { BLOCKED_SYSCALLS_X86_64, seccompProgram } from './seccomp-filter';

/** Runs the classic BPF program on one seccomp_data (arch, nr) as the kernel would. */
function verdict(program: Buffer, arch: number, nr: number): number {
  let acc = 0;
  for (let pc = 0; pc < program.length / 8;) {
    const code = program.readUInt16LE(pc * 8);
    const jt = program.readUInt8(pc * 8 + 2);
    const jf = program.readUInt8(pc * 8 + 3);
    const k = program.readUInt32LE(pc * 8 + 4);
    if (code === 0x20) acc = k === 4 ? arch : k === 0 ? nr : NaN;
    else if (code === 0x15) pc += acc === k ? jt : jf;
    else if (code === 0x35) pc += acc >= k ? jt : jf;
    else if (code === 0x06) return k;
    else throw new Error(`unknown instruction ${code}`);
    pc++;
  }
  throw new Error('fell off the program');
}

const X86_64 = 0xc000003e;
const ALLOW = 0x7fff0000;
const EPERM = 0x00050001;

describe('the seccomp filter (classic BPF, x86-64)', () => {
  const program = seccompProgram();

  it('answers EPERM to every listed call and allows the ones engines use', () => {
    for (const [name, nr] of Object.entries(BLOCKED_SYSCALLS_X86_64))
      expect({ name, v: verdict(program, X86_64, nr) }).toEqual({ name, v: EPERM });
    // read, write, openat, mmap, clone, clone3, futex, execve, process_vm_readv (OpenMPI's CMA), sched_setaffinity
    for (const nr of [0, 1, 257, 9, 56, 435, 202, 59, 310, 203]) expect(verdict(program, X86_64, nr)).toBe(ALLOW);
  });

  it('refuses the x32 ABI and any other architecture (i386 calls through int 0x80)', () => {
    expect(verdict(program, X86_64, 0x40000000 + 1)).toBe(EPERM);
    expect(verdict(program, 0x40000003, 1)).toBe(EPERM);
  });
});
