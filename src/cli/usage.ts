export const USAGE = `molq operator CLI (npm run cli -- <command>)
  users create --email E [--role user|operator|admin]   password from MOLQ_PASSWORD or stdin
  users promote --email E --role user|operator|admin     (revokes the account's tokens)
  users grant --email E --permission scripts             may upload engine scripts (still sandboxed)
  users revoke --email E --permission scripts
  users approve --email E                                an account waiting under REGISTRATION=approval
  users disable --email E                                signs the account out and keeps it out
  users list                                             email, role, status, permissions
  tokens create --name campus-01 --queues md,qc          prints the token once
  tokens list
  tokens revoke --name campus-01
  limiter status                                         window use and granted/refused per key
  queues status                                          entries per state, paused, workers connected, limiter use
  queues pause --queue md[,qc|all]                       workers everywhere stop taking entries (running ones finish)
  queues resume --queue md[,qc|all]
  queues drain --queue md [--timeout 600]                pause, then wait until nothing of the queue runs
  queues retry-failed --queue upload                     failed entries back to waiting
  reuse versions                                         engine versions that computed results; which are barred from reuse
  reuse block --engine xtb --version "xtb 6.5.1" [--reason R]   that version's results are no longer reused
  reuse allow --engine xtb --version "xtb 6.5.1"`;

export class UsageError extends Error {}

export function need(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`missing --${flag}`);
  return value;
}
