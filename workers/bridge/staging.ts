import { createHash } from 'node:crypto';
import { totalStepsOf } from '../../src/executor/progress';
import type { ClaimedJob } from '../../src/pull/pull-contract';
import type { DeckManifest } from '../../src/rendering/deck';
import type { SlurmDriver } from '../../src/slurm/slurm-driver';
import type { ActiveJob } from './bridge-state';
import type { MasterClient } from './master-client';
import type { PullClient } from './pull-client';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * A claimed job onto Slurm: its inputs downloaded through their signed URLs (each checked against
 * the sha256 the master recorded) and submitted, or re-attached to when the master knows its Slurm
 * job on this cluster, so nothing is sbatch'ed twice.
 */
export async function stageIn(
  job: ClaimedJob,
  master: MasterClient,
  slurm: SlurmDriver,
): Promise<{ active: ActiveJob; reattached: boolean }> {
  const command = job.command;
  // a job whose rendered manifest the master could not read: nothing to run (the lease ends retryable)
  if (!command) throw new Error('the master sent no command for this job (its job.json is missing)');
  const manifest: DeckManifest = {
    jobId: job.jobId,
    engine: job.engine,
    command,
    inputs: job.inputs.map((i) => i.name),
    resources: job.resources,
    userScript: job.userScript,
  };
  const inputs = [];
  for (const input of job.inputs) {
    const content = await master.download(input.url);
    if (sha256(content) !== input.sha256) throw new Error(`input ${input.name}: sha256 mismatch after download`);
    inputs.push({ name: input.name, content });
  }
  // this cluster's scheduler id from the master (a re-claimed job) or the job name: re-attach, never
  // sbatch twice; an id of another executor or cluster (a local pid, say) is not a job here
  const own = slurm.ownSlurmId(job.schedulerId);
  const { schedulerId, reattached } = own
    ? { schedulerId: own, reattached: true }
    : await slurm.submit(
        manifest,
        inputs.filter((i) => i.name !== 'job.json'),
      );
  const totalSteps = totalStepsOf(command, inputs);
  return {
    active: { jobId: job.jobId, leaseToken: job.leaseToken, schedulerId, engine: job.engine, totalSteps },
    reattached,
  };
}

/** A finished job's output files uploaded through signed URLs and the lease completed with their sizes and sha256; the count. */
export async function stageOut(
  job: ActiveJob,
  master: MasterClient,
  pull: PullClient,
  slurm: SlurmDriver,
): Promise<number> {
  const names = await slurm.outputNames(job.jobId);
  const files = [];
  const { urls } = await pull.uploadUrls(job.jobId, { leaseToken: job.leaseToken, names });
  for (const { name, url } of urls) {
    const content = await slurm.readOutput(job.jobId, name);
    await master.upload(url, content);
    files.push({ name, size: content.length, sha256: sha256(content) });
  }
  await pull.complete(job.jobId, { leaseToken: job.leaseToken, files });
  return files.length;
}
