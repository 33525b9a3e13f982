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
      /"hostname" was neither uploaded nor written earlier/,
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
  ])('refuses %s', (_, script, message) => {
    expect(screen(script)).toMatch(message);
  });

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
