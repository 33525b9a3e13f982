import { Inject, Injectable } from '@nestjs/common';
import type { RunQueueName } from '../../queues/queue-name';
import { CommonConfig } from '../config/common.config';
import { RedisClient } from '../redis/redis-client';
import type { Engine } from '../jobs/job-status';
import { ENGINE_QUEUE, type EngineOffer } from './engine-offers';

/** What one live pool or bridge told the registry. */
export interface RegistryEntry {
  kind: 'pool' | 'bridge';
  /** The run queues it takes jobs from. */
  queues: RunQueueName[];
  /** The engines it can run now (an engine it lacks is not listed). */
  engines: EngineOffer[];
}

/** One engine as GET /engines shows it: no host, no path, only how many pools and bridges offer it. */
export interface EngineAvailable {
  engine: Engine;
  queue: RunQueueName;
  /** The versions that would run now (empty when none printed one before a run, e.g. g16). */
  versions: string[];
  pools: number;
  bridges: number;
}

/** The live entries summed up. */
export interface RegistrySummary {
  engines: Map<Engine, EngineAvailable>;
  /** The run queues some live pool or bridge takes jobs from. */
  servedQueues: Set<RunQueueName>;
  /** Engines some live entry offers without a version (g16): which version would run is not known. */
  unknownVersions: Set<Engine>;
}

const SUMMARY_CACHE_MS = 1_500;

/** How often a pool renews its entry, and how long an entry lives unrenewed (a pool that died leaves the registry). */
export const POOL_HEARTBEAT_MS = 10_000;
export const POOL_ENTRY_TTL_MS = 30_000;

/**
 * Which engines the live pools and bridges can run, in Redis under the world's prefix: one key per
 * pool or bridge (`<prefix>:engines:<id>`, JSON, expiring unless renewed) and a set of their ids
 * (`<prefix>:engines`). An id whose key expired is dropped from the set by the next reader.
 * Entries name no host and no path.
 */
@Injectable()
export class EngineRegistry {
  private readonly setKey: string;
  private cached?: { at: number; summary: Promise<RegistrySummary> };

  constructor(
    private readonly client: RedisClient,
    @Inject(CommonConfig) config: CommonConfig,
  ) {
    this.setKey = `${config.REDIS_PREFIX}:engines`;
  }

  /** Writes (or renews) one entry for ttlMs. */
  async publish(id: string, entry: RegistryEntry, ttlMs: number): Promise<void> {
    await this.client.redis
      .multi()
      .set(this.keyOf(id), JSON.stringify(entry), 'PX', ttlMs)
      .sadd(this.setKey, id)
      .exec();
  }

  /** Removes an entry at once (a pool that stops cleanly). */
  async remove(id: string): Promise<void> {
    await this.client.redis.multi().del(this.keyOf(id)).srem(this.setKey, id).exec();
  }

  /** Every live entry by id. */
  async live(): Promise<Map<string, RegistryEntry>> {
    const ids = await this.client.redis.smembers(this.setKey);
    const out = new Map<string, RegistryEntry>();
    if (ids.length === 0) return out;
    const values = await this.client.redis.mget(ids.map((id) => this.keyOf(id)));
    const gone: string[] = [];
    ids.forEach((id, i) => {
      const value = values[i];
      if (value === null) gone.push(id);
      else out.set(id, JSON.parse(value) as RegistryEntry);
    });
    if (gone.length > 0) await this.client.redis.srem(this.setKey, ...gone);
    return out;
  }

  /** The live entries summed up by engine, read at most every 1.5 s (an error is not kept). */
  summary(): Promise<RegistrySummary> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > SUMMARY_CACHE_MS) {
      const summary = this.live().then(summarize);
      summary.catch(() => (this.cached = undefined));
      this.cached = { at: now, summary };
    }
    return this.cached.summary;
  }

  /**
   * The versions of `engine` that would run now, when the registry knows them all; empty when it
   * does not (no live entry offers it, or one offers it without a version, as g16).
   */
  async versionsNow(engine: Engine): Promise<string[]> {
    const summary = await this.summary();
    return summary.unknownVersions.has(engine) ? [] : (summary.engines.get(engine)?.versions ?? []);
  }

  private keyOf(id: string): string {
    return `${this.setKey}:${id}`;
  }
}

function summarize(entries: Map<string, RegistryEntry>): RegistrySummary {
  const engines = new Map<Engine, EngineAvailable>();
  const servedQueues = new Set<RunQueueName>();
  const unknownVersions = new Set<Engine>();
  for (const entry of entries.values()) {
    entry.queues.forEach((q) => servedQueues.add(q));
    for (const offer of entry.engines) {
      const queue = ENGINE_QUEUE[offer.engine];
      if (!queue || !entry.queues.includes(queue)) continue;
      const seen = engines.get(offer.engine) ?? { engine: offer.engine, queue, versions: [], pools: 0, bridges: 0 };
      if (entry.kind === 'bridge') seen.bridges++;
      else seen.pools++;
      if (!offer.version) unknownVersions.add(offer.engine);
      else if (!seen.versions.includes(offer.version)) seen.versions.push(offer.version);
      engines.set(offer.engine, seen);
    }
  }
  for (const e of engines.values()) e.versions.sort();
  return { engines, servedQueues, unknownVersions };
}
