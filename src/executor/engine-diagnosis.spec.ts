import { engineDiagnosis } from './engine-diagnosis';

describe('engine diagnosis (what a failed job may say)', () => {
  it.each([
    [
      'a LAMMPS unknown command echoing a secret line',
      'LAMMPS (29 Sep 2021)\nERROR: Unknown command: JWT_SECRET=abc123 (src/input.cpp:232)\nLast command: JWT_SECRET=abc123\n',
      'ERROR: Unknown command',
    ],
    [
      'a data file section echoing /etc/passwd',
      'ERROR: Invalid data file section: root:x:0:0:root:/root:/bin/bash (src/read_data.cpp:841)\n',
      'ERROR: Invalid data file section',
    ],
    [
      'a quoted value',
      "ERROR: Expected integer parameter instead of 'SECRET=xyz' in input script or data file (src/utils.cpp:333)\n",
      'ERROR: Expected integer parameter instead of … in input script or data file',
    ],
    [
      'an error on a rank',
      'ERROR on proc 0: Cannot open input script /x/y: No such file or directory (src/lammps.cpp:497)\n',
      'ERROR on proc 0: Cannot open input script /x/y',
    ],
    [
      'an error with nothing after it',
      'ERROR: Run command before simulation box is defined (src/run.cpp:42)\n',
      'ERROR: Run command before simulation box is defined',
    ],
  ])('%s', (_, log, said) => {
    expect(engineDiagnosis([log])).toBe(said);
  });

  it('never falls back to an arbitrary last line (it could be file content), and caps the length', () => {
    expect(engineDiagnosis(['JWT_SECRET=abc\nroot:x:0:0\n'])).toBeNull();
    expect(engineDiagnosis([`ERROR: ${'x'.repeat(500)}`])!.length).toBeLessThanOrEqual(200);
    expect(engineDiagnosis(['', '[ERROR] Program stopped due to fatal error\n'])).toBe(
      '[ERROR] Program stopped due to fatal error',
    );
  });
});
