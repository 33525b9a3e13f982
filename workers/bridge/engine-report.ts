import { randomUUID } from 'node:crypto';
import type { RunQueueName } from '../../queues/queue-name';
import type { EngineOffer } from '../../src/engines/engine-offers';
import type { SlurmDriver } from '../../src/slurm/slurm-driver';
import type { PullClient } from './pull-client';

/** Asked of the cluster again this often (a module installed or removed), reported far more often. */
const PROBE_EVERY_MS = 10 * 60_000;
const FIRST_REPORT_EVERY_MS = 20_000;

const sleep = (ms: number, running: () => boolean) =>
  new Promise<void>((resolve) => {
    const end = Date.now() + ms;
    const tick = () => (!running() || Date.now() >= end ? resolve() : setTimeout(tick, Math.min(200, ms)));
    tick();
  });

/**
 * The bridge's entry in the master's engine registry: what its cluster runs (asked on the login node
 * at start and every 10 min), reported at start and then as often as the master asks; removed when
 * the bridge stops.
 */
export class EngineReport {
  private readonly instanceId = randomUUID();
  private engines: EngineOffer[] | undefined;
  private probedAt = 0;

  constructor(
    private readonly pull: PullClient,
    private readonly slurm: SlurmDriver,
    private readonly queues: RunQueueName[],
    private readonly log: (line: string) => void,
  ) {}

  /** Reports until `running()` turns false, then removes the entry. */
  async loop(running: () => boolean): Promise<void> {
    let every = FIRST_REPORT_EVERY_MS;
    while (running()) {
      try {
        every = (await this.report()).reportEveryMs;
      } catch (err) {
        this.log(`bridge: engine report: ${(err as Error).message}`);
        every = 2_000 + Math.random() * 1_000;
      }
      await sleep(every, running);
    }
    await this.pull
      .reportEngines({ instanceId: this.instanceId, queues: [], engines: [] })
      .catch((err) => this.log(`bridge: engine report at stop: ${(err as Error).message}`));
  }

  private async report() {
    if (!this.engines || Date.now() - this.probedAt > PROBE_EVERY_MS) {
      const engines = await this.slurm.engines();
      const names = engines.map((e) => e.version ?? `${e.engine} (version unknown)`).join(', ') || 'none';
      if (JSON.stringify(engines) !== JSON.stringify(this.engines)) this.log(`bridge: the cluster runs ${names}`);
      this.engines = engines;
      this.probedAt = Date.now();
    }
    return this.pull.reportEngines({ instanceId: this.instanceId, queues: this.queues, engines: this.engines });
  }
}
