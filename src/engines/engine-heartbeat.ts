import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { RUN_QUEUES, type RunQueueName } from '../../queues/queue-name';
import { WORKER_PLAN, type WorkerPlan } from '../../workers/queue-handler';
import type { Executor } from '../executor/executor';
import { EXECUTOR } from '../running/run.service';
import { ENGINE_QUEUE } from './engine-offers';
import { EngineRegistry, POOL_ENTRY_TTL_MS, POOL_HEARTBEAT_MS } from './engine-registry';

/**
 * An md/qc pool's entry in the engine registry: the engines its executor can run on the run queues
 * it consumes, published once the pool is up and renewed every POOL_HEARTBEAT_MS (an engine whose
 * binary vanished drops out at the next renewal); removed when the pool stops, and expiring on its
 * own when the pool dies.
 */
@Injectable()
export class EngineHeartbeat implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EngineHeartbeat.name);
  readonly id = `pool:${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private timer?: NodeJS.Timeout;
  private readonly queues: RunQueueName[];

  constructor(
    private readonly registry: EngineRegistry,
    @Inject(EXECUTOR) private readonly executor: Executor,
    @Inject(WORKER_PLAN) plan: WorkerPlan,
  ) {
    this.queues = RUN_QUEUES.filter((q) => plan.queues.includes(q));
  }

  async onApplicationBootstrap(): Promise<void> {
    const offered = this.offers();
    this.logger.log(
      `engines offered on ${this.queues.join(', ')}: ${offered.map((o) => o.version ?? `${o.engine} (version unknown)`).join(', ') || 'none'}`,
    );
    await this.beat();
    this.timer = setInterval(() => void this.beat(), POOL_HEARTBEAT_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.registry.remove(this.id).catch(() => undefined); // Redis away: the entry expires instead
  }

  private offers() {
    return this.executor.engines().filter((o) => this.queues.includes(ENGINE_QUEUE[o.engine]));
  }

  private async beat(): Promise<void> {
    try {
      await this.registry.publish(
        this.id,
        { kind: 'pool', queues: this.queues, engines: this.offers() },
        POOL_ENTRY_TTL_MS,
      );
    } catch (err) {
      this.logger.warn(`engine registry not renewed: ${(err as Error).message}`);
    }
  }
}
