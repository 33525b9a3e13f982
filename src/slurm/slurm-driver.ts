import type { EngineOffer } from '../engines/engine-offers';
import { engineProgress, progressLogOf } from '../executor/progress';
import { clusterEngines } from './cluster-engines';
import { STORABLE_NAME } from '../executor/workdir-files';
import type { DeckManifest } from '../rendering/deck';
import { engineDiagnosis } from '../executor/engine-diagnosis';
import { slurmIdOn, slurmSchedulerId } from '../executor/scheduler-id';
import { shellWords } from '../sandbox/sandbox-command';
import { confinedCommand, renderSbatchScript, slurmJobName, type ClusterSettings } from './sbatch-script';
import { shellCommand, shellQuote } from './shell-quote';
import { parseDelimitedRows, parseState, type DelimitedRowError } from './slurm-output.parser';
import { slurmPhase, slurmStateName, type SlurmPhase } from './slurm-states';
import type { SshConnection } from './ssh-connection';

const PROGRESS_TAIL_BYTES = 64 * 1024;

export interface SlurmJobStatus {
  schedulerId: string;
  state: string;
  reason: string;
  phase: SlurmPhase;
}

/** A listing row that could not be read (a field holding the delimiter): its job is looked at again next poll. */
export interface SkippedRow {
  /** squeue or sacct. */
  listing: string;
  /** The job the row is about (its first field, an id: never holds the delimiter), when it is one polled. */
  schedulerId: string | null;
  error: DelimitedRowError;
}

/** Every polled job's status that could be read, and the rows that could not. */
export type SlurmPoll = Map<string, SlurmJobStatus> & { skipped: SkippedRow[] };

/**
 * Slurm over one SSH connection: stage inputs (SFTP), submit idempotently (the job name is the
 * molq job's; an existing job of that name is re-attached, never submitted twice), poll every
 * active job with one squeue call, cancel.
 */
export class SlurmDriver {
  constructor(
    private readonly ssh: SshConnection,
    private readonly cluster: ClusterSettings & { workRoot: string; name: string },
  ) {}

  /** The qualified scheduler id of one of this cluster's Slurm jobs. */
  qualify(slurmId: string): string {
    return slurmSchedulerId(this.cluster.name, slurmId);
  }

  /** The Slurm id of a qualified scheduler id of this cluster, or null (a local pid, another cluster, an unqualified id). */
  ownSlurmId(schedulerId: string | null | undefined): string | null {
    return slurmIdOn(this.cluster.name, schedulerId);
  }

  workdirOf(jobId: string): string {
    return `${this.cluster.workRoot}/${jobId}`;
  }

  /** The Slurm id of the job with this molq job's name, in any state still known, or null. */
  async find(jobId: string): Promise<string | null> {
    const res = await this.ssh.exec(shellCommand(['squeue', '-h', '-t', 'all', '-n', slurmJobName(jobId), '-o', '%i']));
    const ids = res.stdout
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    return ids[ids.length - 1] ?? null;
  }

  async submit(
    manifest: DeckManifest,
    inputs: { name: string; content: Buffer }[],
  ): Promise<{ schedulerId: string; reattached: boolean }> {
    const existing = await this.find(manifest.jobId);
    if (existing) return { schedulerId: existing, reattached: true };
    const workdir = this.workdirOf(manifest.jobId);
    const script = renderSbatchScript(manifest, workdir, this.cluster); // throws ClusterRefusedError before anything is written
    const mk = await this.ssh.exec(shellCommand(['mkdir', '-p', workdir]));
    if (mk.code !== 0) throw new Error(`mkdir ${workdir} failed: ${mk.stderr.trim()}`);
    for (const f of inputs) await this.ssh.writeFile(`${workdir}/${f.name}`, f.content);
    await this.ssh.writeFile(`${workdir}/job.sh`, script);
    let res;
    try {
      res = await this.ssh.exec(`cd ${shellQuote(workdir)} && sbatch --parsable job.sh`);
    } catch (err) {
      // ambiguous: the connection dropped during sbatch. Whatever Slurm did, its name tells.
      const found = await this.find(manifest.jobId);
      if (found) return { schedulerId: found, reattached: true };
      throw err;
    }
    const id = res.stdout.trim().split(';')[0];
    if (res.code !== 0 || !/^\d+$/.test(id)) throw new Error(`sbatch failed: ${(res.stderr || res.stdout).trim()}`);
    return { schedulerId: id, reattached: false };
  }

  /**
   * Every given job's state: one squeue call for all of them, plus one sacct call for those that
   * have already left squeue's memory (MinJobAge). A job neither knows is absent from the map. A row
   * that cannot be read (one field more or fewer: a reason holding "|") is skipped and named in
   * `skipped`; its job is absent too, not asked of sacct, and simply polled again next time.
   */
  async poll(schedulerIds: string[]): Promise<SlurmPoll> {
    const out: SlurmPoll = Object.assign(new Map<string, SlurmJobStatus>(), { skipped: [] as SkippedRow[] });
    if (schedulerIds.length === 0) return out;
    const read = (listing: string, text: string, columns: string[]) => {
      const { rows, skipped } = parseDelimitedRows(text, '|', columns);
      for (const error of skipped) {
        const id = error.line.split('|')[0].trim();
        out.skipped.push({ listing, schedulerId: schedulerIds.includes(id) ? id : null, error });
      }
      return rows;
    };
    const res = await this.ssh.exec(
      shellCommand(['squeue', '-h', '-t', 'all', '-j', schedulerIds.join(','), '-o', '%i|%T|%r']),
    );
    for (const row of read('squeue', res.stdout, ['id', 'state', 'reason'])) {
      const state = slurmStateName(parseState(row.state).state);
      out.set(row.id, { schedulerId: row.id, state, reason: row.reason, phase: slurmPhase(state) });
    }
    const gone = schedulerIds.filter((id) => !out.has(id) && !out.skipped.some((s) => s.schedulerId === id));
    if (gone.length > 0) {
      const acct = await this.ssh.exec(
        shellCommand(['sacct', '-n', '-P', '-X', '-j', gone.join(','), '-o', 'JobID,State,ExitCode']),
      );
      if (acct.code === 0) {
        for (const row of read('sacct', acct.stdout, ['id', 'state', 'exit'])) {
          if (!gone.includes(row.id)) continue; // steps (.batch, .0) and other jobs
          const state = slurmStateName(parseState(row.state).state);
          out.set(row.id, { schedulerId: row.id, state, reason: `exit ${row.exit}`, phase: slurmPhase(state) });
        }
      }
    }
    return out;
  }

  async cancel(schedulerId: string): Promise<void> {
    if (!/^\d+$/.test(schedulerId)) throw new Error(`not a Slurm job id: ${schedulerId}`);
    await this.ssh.exec(shellCommand(['scancel', schedulerId]));
  }

  /** The job's files worth storing: plain names, not the batch script. */
  async outputNames(jobId: string): Promise<string[]> {
    return (await this.ssh.listFiles(this.workdirOf(jobId))).filter((n) => STORABLE_NAME.test(n) && n !== 'job.sh');
  }

  /** A running job's progress from the tail of its engine's log (LAMMPS steps, optimisation cycles). */
  async progress(jobId: string, engine: DeckManifest['engine'], totalSteps: number): Promise<number | null> {
    const tail = await this.ssh
      .readTail(`${this.workdirOf(jobId)}/${progressLogOf(engine)}`, PROGRESS_TAIL_BYTES)
      .catch(() => null);
    return tail ? engineProgress(engine, tail.toString('utf8'), totalSteps) : null;
  }

  /** Why a job failed: Slurm's state and reason, then the engine's own diagnosis from its logs (never what it echoed of a file). */
  async failureMessage(jobId: string, status: SlurmJobStatus): Promise<string> {
    const head = `Slurm job ${status.schedulerId} ended ${status.state} (${status.reason})`;
    const texts = [];
    for (const name of ['log.lammps', 'stderr.log', 'stdout.log']) {
      texts.push(
        (await this.ssh.readTail(`${this.workdirOf(jobId)}/${name}`, 8_192).catch(() => Buffer.alloc(0))).toString(
          'utf8',
        ),
      );
    }
    const diagnosis = engineDiagnosis(texts);
    return diagnosis ? `${head}: ${diagnosis}` : head;
  }

  /**
   * Runs the cluster's sandbox once on the login node (a shell that writes into a fresh work dir);
   * throws saying what failed. Nothing to check with CLUSTER_SANDBOX=none.
   */
  async probeSandbox(): Promise<void> {
    const sandbox = this.cluster.sandbox;
    if (!sandbox || sandbox.kind === 'none') return;
    const dir = `${this.cluster.workRoot}/.probe-${Date.now().toString(36)}`;
    const run = confinedCommand(
      sandbox,
      dir,
      ['/bin/sh', '-c', '[ ! -e /etc/passwd ] && echo molq-probe > probe.txt'],
      {},
    );
    const res = await this.ssh.exec(
      `mkdir -p ${shellQuote(dir)} && cd ${shellQuote(dir)} && ${shellWords(run)} && cat probe.txt; status=$?; rm -rf ${shellQuote(dir)}; exit $status`,
    );
    if (res.code !== 0 || res.stdout.trim() !== 'molq-probe') {
      throw new Error(
        `cluster sandbox probe failed (CLUSTER_SANDBOX=${sandbox.kind}): exit ${res.code}: ${(res.stderr || res.stdout).trim().slice(0, 300)}`,
      );
    }
  }

  /** The engines this cluster can run, with their versions (asked on the login node). */
  engines(): Promise<EngineOffer[]> {
    return clusterEngines(this.ssh, this.cluster);
  }

  readOutput(jobId: string, name: string): Promise<Buffer> {
    return this.ssh.readFile(`${this.workdirOf(jobId)}/${name}`);
  }
}
