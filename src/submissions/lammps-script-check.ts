/** LAMMPS commands that run arbitrary programs on the node: refused in uploaded scripts. */
const FORBIDDEN = new Set(['shell', 'python', 'fix_modify_python']);

/** Why an uploaded LAMMPS file may not run here, or null. Checks every file (includes too). */
export function lammpsFileProblem(content: Buffer): string | null {
  if (content.includes(0)) return 'is not a text file (contains NUL bytes)';
  const lines = content.toString('utf8').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const command = lines[i].replace(/#.*/, '').trim().split(/\s+/)[0]?.toLowerCase();
    if (command && FORBIDDEN.has(command)) return `line ${i + 1}: the ${command} command is not allowed`;
  }
  return null;
}
