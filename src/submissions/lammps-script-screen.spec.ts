import { lammpsScriptProblem } from './lammps-script-screen';

const file = (name: string, text: string) => ({ name, read: () => Buffer.from(text) });
const screen = (script: string, ...others: { name: string; read: () => Buffer }[]) =>
  lammpsScriptProblem('in.lj', [file('in.lj', script), ...others]);

describe('LAMMPS script screen (allowlist after expansion)', () => {
  it('passes ordinary scripts: the LJ melt, loops, if with plain bodies, read_data of an upload, thermo with variables', () => {
    const melt = [
      'units lj',
      'atom_style atomic',
      'variable n equal 4',
      'lattice fcc 0.8442',
      'region box block 0 ${n} 0 ${n} 0 ${n}',
      'create_box 1 box',
      'create_atoms 1 box',
      'mass 1 1.0',
      'velocity all create 3.0 87287 loop geom',
      'pair_style lj/cut 2.5',
      'pair_coeff 1 1 1.0 1.0 2.5',
      'neighbor 0.3 bin',
      'fix 1 all nve',
      'thermo 50',
      'variable t loop 3',
      'label again',
      'print "pass $t of 3 at T = $(temp:%.3f)"',
      'if "$t > 2" then "print done" else "run 10"',
      'next t',
      'jump SELF again',
      'write_data final.data',
      'read_data final.data add append',
      'run ${n} upto',
      'write_dump all atom final.dump',
      'dump 1 all atom 100 traj.dump',
      'fix out all print 10 "$(step) $(pe)" file thermo.txt screen no',
      'run 1000 every 100 "print step"',
    ].join('\n');
    expect(screen(melt)).toBeNull();
    expect(screen('units lj\nread_data data.lj\nrun 10\n', file('data.lj', 'LAMMPS data\n'))).toBeNull();
    expect(screen('units lj\ninclude more.in\n', file('more.in', 'run 10 # comment with shell\n'))).toBeNull();
  });

  it.each([
    ['shell as a command', 'units lj\n  shell touch /tmp/x\n', /line 2: the "shell" command is not allowed/],
    ['python', 'python p here """\nimport os\n"""\n', /the "python" command is not allowed/],
    ['plugin', 'plugin load x.so\n', /the "plugin" command is not allowed/],
    ['shell in an if body', 'if "1>0" then "shell touch x"\n', /line 1: the "shell" command is not allowed/],
    [
      'shell in an else body',
      'if "1>2" then "print a" else "print b" "shell ls"\n',
      /the "shell" command is not allowed/,
    ],
    ['shell in a nested if', 'if "1>0" then \'if "1>0" then "shell ls"\'\n', /the "shell" command is not allowed/],
    ['a variable as the command', 'variable c string run\n${c} 10\n', /line 2: a variable may not stand for a command/],
    [
      'a variable as the command in an if body',
      'if "1>0" then "${c} touch x"\n',
      /a variable may not stand for a command/,
    ],
    ['the word split by &', 'sh&\nell touch x\n', /line 1: the "shell" command is not allowed/],
    [
      'a file written by print then included',
      'print "shell touch x" file gen.in\ninclude gen.in\n',
      /line 2: include: "gen\.in" was not uploaded/,
    ],
    ['run every with shell', 'run 10 every 5 "shell ls"\n', /the "shell" command is not allowed/],
    ['a python fix style', 'fix 1 all python/invoke 1 end_of_step f\n', /python styles are not allowed/],
    ['a python variable', 'variable f python g\n', /python styles are not allowed/],
    ['getenv', 'variable s getenv JWT_SECRET\n', /the getenv style is not allowed/],
    ['internal', 'variable s internal 1\n', /the internal style is not allowed/],
    ['a variable file outside', 'variable s file /etc/hostname\n', /absolute paths and \.\. are not allowed/],
    [
      'a variable file not uploaded',
      'variable s file hostname\n',
      /variable s file: "hostname" was not uploaded with the job/,
    ],
    [
      'a keyword smuggled in a string variable',
      'variable k string every\nrun 10 ${k} 1 "print x"\n',
      /line 1: variable k: "every" is not a plain value/,
    ],
    ['a quoted command smuggled in a variable', 'variable k string "1 every 1 x"\n', /is not a plain value/],
    [
      'a substituted run keyword',
      'variable a equal 10\nrun 10 ${a} 1\n',
      /run: only the step count may hold a variable/,
    ],
    ['a substituted print file', 'print "x" file ${f}\n', /a file name may not come from a variable/],
    ['include of an absolute path', 'include /work/main/.env.local\n', /absolute paths and \.\. are not allowed/],
    ['include climbing out', 'include ../../../.env.local\n', /absolute paths and \.\. are not allowed/],
    ['read_data of a system file', 'read_data /etc/passwd\n', /absolute paths and \.\. are not allowed/],
    ['log to an absolute path', 'log /tmp/x.log\n', /absolute paths/],
    ['print to an absolute path', 'print "x" file /tmp/x\n', /absolute paths/],
    ['write_dump to an absolute path', 'write_dump all atom /tmp/x\n', /absolute paths/],
    ['write_data to an absolute path', 'write_data /tmp/x\n', /absolute paths/],
    ['dump to an absolute path', 'dump 1 all atom 1 /tmp/x\n', /absolute paths/],
    ['write_restart climbing out', 'write_restart ../../../../x\n', /absolute paths and \.\. are not allowed/],
    ['a home path', 'write_data ~/x\n', /absolute paths/],
    ['a jump to a file not uploaded', 'jump other.in\n', /jump: "other\.in" was not uploaded/],
    [
      'partition (runs a command per partition)',
      'partition yes 1 shell ls\n',
      /the "partition" command is not allowed/,
    ],
    ['an unclosed quote', 'print "x\n', /unclosed " quote/],
    ['NUL bytes', 'units lj\0\n', /is not a text file/],
    // issue 27: the three ways past the screen an outsider found, and their relatives
    [
      'a compressed dump whose name carries a command',
      'dump 1 all atom 1 x;touch${IFS}pwned;.gz\n',
      /dump: "x;touch\$\{IFS\}pwned;\.gz"|a file name may not come from a variable/,
    ],
    ['a compressed dump name', 'dump 1 all atom 100 traj.lammpstrj.gz\n', /compressed files are not allowed/],
    ['a compressed read_data', 'read_data data.lj.gz\n', /compressed files are not allowed/],
    ['a compressed write_dump (zstd)', 'write_dump all atom final.zst\n', /compressed files are not allowed/],
    ['a compressed potential file', 'pair_coeff * * "ffield.gz" C H\n', /compressed files are not allowed/],
    ['shell characters in a dump name', 'dump 1 all atom 1 a;b\n', /is not a plain file name \(A-Z/],
    ['a quoted dump name with a space', 'dump 1 all atom 1 "a b"\n', /is not a plain file name \(A-Z/],
    ['dump movie (ffmpeg through popen)', 'dump 1 all movie 1 m.mpg type type\n', /the movie style is not allowed/],
    [
      'a format variable carrying a run keyword',
      'variable n equal 10\nvariable f format n "%g every 1 \'shell touch x\'"\nrun ${f}\n',
      /line 2: variable f: the format .* must be one numeric conversion/,
    ],
    [
      'a format variable as an if condition',
      'variable n equal 1\nvariable c format n "%g then \'shell ls\'"\nif ${c} then "print x"\n',
      /line 2: variable c: the format/,
    ],
    [
      'an if condition with a variable outside quotes',
      'if ${c} then "print x"\n',
      /a condition with variables must be quoted/,
    ],
    [
      'an elif condition with a variable outside quotes',
      'if "1>2" then "print a" elif ${c} "print b"\n',
      /elif condition/,
    ],
    [
      'fix print slipping file /abs through a format',
      'variable n equal 1\nvariable f format n "%g file /tmp/x"\nfix p all print 1 "${f}"\n',
      /variable f: the format/,
    ],
    ['an immediate with a string format', 'run $(10:%s every 1 x)\n', /immediate format "%s every 1 x"/],
    ['an immediate format writing memory', 'print "$(1:%n)"\n', /immediate format "%n"/],
    ['an immediate holding quotes', 'run $(10+"1")\n', /may hold no quotes/],
    ['an unclosed immediate', 'print "$(1+(2"\n', /is not closed/],
    [
      'a file variable of a file the script wrote',
      'print "1" file v.txt\nvariable s file v.txt\n',
      /"v\.txt" was not uploaded/,
    ],
  ])('refuses %s', (_, script, message) => {
    expect(screen(script)).toMatch(message);
  });

  it('reads a file-style variable as script text: each line of the upload must be one plain word', () => {
    const run = 'variable s file values.txt\nrun ${s}\n';
    expect(screen(run, file('values.txt', '# steps\n100\n\n200 # more\n'))).toBeNull();
    expect(screen(run, file('values.txt', '100 every 1 "shell touch x"\n'))).toMatch(
      /line 1: variable s \(a line of values\.txt\): "100 every 1 \\"shell touch x\\"" is not a plain value/,
    );
    expect(screen(run, file('values.txt', 'shell\n'))).toMatch(/"shell" is not a plain value/);
  });

  it('passes numeric formats and immediates, plain file names with LAMMPS wildcards', () => {
    const ok = [
      'variable n equal 10',
      'variable f format n %.3f',
      'variable g format n "%-8.2e"',
      'print "T = $(temp:%10.4f) step $(step)"',
      'dump 1 all custom 100 dump.*.lammpstrj id type x y z',
      'restart 1000 restart.%.* restart2.*',
      'run $(v_n*10)',
      'if "${n} > 5" then "print big" elif "${n} > 2" "print mid"',
    ].join('\n');
    expect(screen(ok)).toBeNull();
  });

  it('refuses a script over 1 MiB, naming its size', () => {
    expect(screen(`units lj\n${'# padding\n'.repeat(110_000)}`)).toBe(
      'files.in.lj: a script may be at most 1024 KiB (this one is 1075 KiB); put data in read_data files',
    );
  });

  it('joins 1 MiB of continuation lines into one command (the old join was quadratic: 40,000 lines took 34 s)', () => {
    const joined = `print "${'x&\n'.repeat(340_000)}"\n`;
    expect(screen(joined)).toBeNull();
    expect(screen(`sh&\n${'&\n'.repeat(300_000)}ell ls\n`)).toMatch(/line 1: the "shell" command is not allowed/);
  }, 30_000);

  it('screens included files too, naming the included file and its line', () => {
    expect(screen('units lj\ninclude more.in\n', file('more.in', 'run 10\nshell ls\n'))).toBe(
      'files.more.in: line 2: the "shell" command is not allowed in uploaded scripts',
    );
    expect(screen('include in.lj\n')).toBeNull(); // a self-include is screened once
  });

  it('names the uploaded file and line', () => {
    expect(screen('units lj\n\n  shell rm -rf ~\n')).toBe(
      'files.in.lj: line 3: the "shell" command is not allowed in uploaded scripts',
    );
  });
});
