/**
 * A job's scheduler id says which executor ran it and where: `local:<host>:<pid>` for an engine a
 * local pool started, `slurm:<cluster>:<job id>` for a Slurm job. Only the cluster that made a
 * Slurm id may re-attach to it; anything else (another cluster, a local pid, an id from before
 * ids were qualified) is not a Slurm job of this cluster.
 */
export const localSchedulerId = (host: string, pid: number) => `local:${host}:${pid}`;
export const slurmSchedulerId = (cluster: string, id: string) => `slurm:${cluster}:${id}`;

/** The Slurm job id when `schedulerId` names a Slurm job of `cluster`, else null. */
export function slurmIdOn(cluster: string, schedulerId: string | null | undefined): string | null {
  const prefix = `slurm:${cluster}:`;
  if (!schedulerId?.startsWith(prefix)) return null;
  const id = schedulerId.slice(prefix.length);
  return /^\d+(_\d+)?$/.test(id) ? id : null;
}

/** The pid when `schedulerId` names a local engine on `host`, else null. */
export function localPidOn(host: string, schedulerId: string | null | undefined): number | null {
  const match = /^local:(.+):(\d+)$/.exec(schedulerId ?? '');
  return match && match[1] === host ? Number(match[2]) : null;
}
