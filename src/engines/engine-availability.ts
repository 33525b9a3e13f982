import { ConflictException, Inject, Injectable, Logger } from '@nestjs/common';
import { MasterConfig } from '../config/master.config';
import type { Engine } from '../jobs/job-status';
import { ENGINE_QUEUE, ENGINE_TITLE } from './engine-offers';
import { EngineRegistry, type EngineAvailable, type RegistrySummary } from './engine-registry';

/**
 * The master's reading of the engine registry: what the live pools and bridges can
 * run, and at submission what to do with a job whose engine none of them offers. When pools or
 * bridges take the job's queue but none runs its engine, ENGINE_UNAVAILABLE decides: `refuse` (409
 * naming the field) or `wait` (accepted; its timeline says it waits for an engine). When nothing
 * takes the queue at all (pools restarting, a bridge between two claims) the job waits, saying so,
 * whatever the setting: that is not the server lacking the engine.
 */
@Injectable()
export class EngineAvailability {
  private readonly logger = new Logger(EngineAvailability.name);

  constructor(
    private readonly registry: EngineRegistry,
    @Inject(MasterConfig) private readonly config: MasterConfig,
  ) {}

  /** Every engine some live pool or bridge offers. */
  async list(): Promise<EngineAvailable[]> {
    return [...(await this.view()).engines.values()].sort((a, b) => a.engine.localeCompare(b.engine));
  }

  /**
   * Checks the engines of the jobs being submitted (`fieldOf(i)`: the field naming job i's engine).
   * Throws 409 for the first one no live pool or bridge runs when ENGINE_UNAVAILABLE=refuse; returns
   * the first-event message of each engine that waits. A registry that cannot be read refuses nothing.
   */
  async check(engines: Engine[], fieldOf: (i: number) => string): Promise<Map<Engine, string>> {
    const waits = new Map<Engine, string>();
    let view: RegistrySummary;
    try {
      view = await this.view();
    } catch (err) {
      this.logger.warn(`engine registry unreadable, submissions not checked: ${(err as Error).message}`);
      return waits;
    }
    engines.forEach((engine, i) => {
      if (view.engines.has(engine) || waits.has(engine)) return;
      const queue = ENGINE_QUEUE[engine];
      if (!view.servedQueues.has(queue)) {
        waits.set(engine, `submitted; waits for a pool or bridge: none that runs ${queue} jobs is live now`);
        return;
      }
      const why = `${ENGINE_TITLE[engine]} is not available on this server (no live pool or bridge runs it)`;
      if (this.config.ENGINE_UNAVAILABLE === 'refuse')
        throw new ConflictException({ statusCode: 409, error: 'Conflict', message: [`${fieldOf(i)}: ${why}`] });
      waits.set(engine, `submitted; waits for an engine: ${why}`);
    });
    return waits;
  }

  private view(): Promise<RegistrySummary> {
    return this.registry.summary();
  }
}
