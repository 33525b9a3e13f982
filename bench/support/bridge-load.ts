import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { call } from './bench-processes';

/**
 * The master's side of campus bridges holding `count` jobs on their clusters: the pull API as a
 * bridge calls it (claim, heartbeat with the scheduler's RUNNING and progress every `everyMs`, as
 * BRIDGE_HEARTBEAT_MS does). A load generator for benches: no Slurm behind it, the jobs never end.
 */
export class BridgeLoad {
  private readonly leases: { id: string; leaseToken: string }[] = [];
  private running = false;
  private loop: Promise<void> | null = null;
  readonly heartbeatMs: number[] = [];
  errors = 0;

  constructor(
    private readonly port: number,
    private readonly token: string,
  ) {}

  /** A worker token for the qc queue, made with the operators' CLI as an operator would. */
  static issueToken(env: Record<string, string>): string {
    const out = execFileSync(
      process.execPath,
      [
        join(__dirname, '..', '..', 'src', 'cli', 'main.js'),
        'tokens',
        'create',
        '--name',
        `bench-${Date.now()}`,
        '--queues',
        'qc',
      ],
      { env: { ...process.env, ...env } },
    );
    return `Bearer ${out.toString().trim().split('\n').pop()}`;
  }

  /** Claims jobs until `count` are leased and RUNNING. */
  async hold(count: number): Promise<void> {
    while (this.leases.length < count) {
      const res = await call(
        this.port,
        'POST',
        '/api/v1/workers/jobs/claim',
        { queues: ['qc'], max: Math.min(20, count - this.leases.length), waitMs: 1_000 },
        this.token,
      );
      if (res.status !== 200) throw new Error(`claim answered ${res.status}: ${JSON.stringify(res.body)}`);
      for (const job of res.body.jobs as { jobId: string; leaseToken: string }[]) {
        this.leases.push({ id: job.jobId, leaseToken: job.leaseToken });
        if (!(await this.heartbeat(this.leases.length - 1, 'RUNNING')))
          throw new Error(`the first heartbeat of ${job.jobId} was refused`);
      }
    }
  }

  /** Heartbeats every held job once per `everyMs`, spread evenly, until stop(). */
  start(everyMs: number): void {
    this.running = true;
    this.loop = (async () => {
      const gap = everyMs / Math.max(1, this.leases.length);
      let round = 0;
      while (this.running) {
        for (let i = 0; i < this.leases.length && this.running; i++) {
          const due = performance.now() + gap;
          void this.heartbeat(i, 'RUNNING', Math.min(1, (round + 1) / 100));
          await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
        }
        round++;
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  get held(): string[] {
    return this.leases.map((l) => l.id);
  }

  private async heartbeat(i: number, schedulerState: string, progress?: number): Promise<boolean> {
    const { id, leaseToken } = this.leases[i];
    const res = await call(
      this.port,
      'POST',
      `/api/v1/workers/jobs/${id}/heartbeat`,
      { leaseToken, schedulerId: `bench.${i}`, schedulerState, ...(progress === undefined ? {} : { progress }) },
      this.token,
    );
    if (res.status !== 200) this.errors++;
    this.heartbeatMs.push(res.ms);
    return res.status === 200;
  }
}
