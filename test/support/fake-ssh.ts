import type { ExecResult, SshConnection } from '../../src/slurm/ssh-connection';

/** A stand-in for an SSH connection: answers each command by the first key it starts with, and records them. */
export function fakeSsh(answers: Record<string, ExecResult>) {
  const commands: string[] = [];
  const ssh = {
    exec: async (command: string) => {
      commands.push(command);
      const key = Object.keys(answers).find((k) => command.startsWith(k));
      return key ? answers[key] : { code: 1, stdout: '', stderr: 'unexpected' };
    },
  } as unknown as SshConnection;
  return { ssh, commands };
}
