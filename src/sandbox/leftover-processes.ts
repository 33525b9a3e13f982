import { readdir, readFile } from 'node:fs/promises';

/**
 * Kills (SIGKILL) every process whose command line holds `workdir` as one argument: what is left
 * of a run once its launch has exited. bubblewrap's inner process starts a session of its own
 * and, once it has changed its credentials in the new user namespace, may not get its
 * parent-death signal, so an engine could outlive its cancelled or killed run (seen: LAMMPS runs
 * of cancelled jobs still running, their bwrap reparented to init). Killing that inner bwrap —
 * pid 1 of the run's pid namespace — ends everything in it. Returns how many were killed.
 */
export async function killLeftovers(workdir: string): Promise<number> {
  let killed = 0;
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.split('\0').includes(workdir)) continue;
    try {
      process.kill(Number(entry), 'SIGKILL');
      killed++;
    } catch {
      // gone already, or not ours to signal
    }
  }
  return killed;
}
