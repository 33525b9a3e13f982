import { BadRequestException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ENGINES, type Engine } from '../jobs/job-status';

export interface EngineVersionUse {
  engine: Engine;
  engineVersion: string;
  completedJobs: number;
  reuseBlocked: boolean;
  reason: string | null;
  blockedBy: string | null;
  blockedAt: Date | null;
}

/**
 * Engine versions barred from reuse: an admin who finds a version faulty turns reuse of its results
 * off (new identical jobs then run again; jobs already done keep their results, marked with the version).
 */
@Injectable()
export class ReuseBlocks {
  constructor(private readonly dataSource: DataSource) {}

  /** Every engine version that completed a job, with whether its results may be reused. */
  async list(): Promise<EngineVersionUse[]> {
    const rows = await this.dataSource.query(
      `WITH seen AS (SELECT engine, engine_version, count(*)::int AS n FROM jobs
                      WHERE status = 'COMPLETED' AND engine_version IS NOT NULL AND reused_from IS NULL
                      GROUP BY engine, engine_version)
       SELECT COALESCE(s.engine, b.engine) AS engine, COALESCE(s.engine_version, b.engine_version) AS version,
              COALESCE(s.n, 0) AS n, b.engine IS NOT NULL AS blocked, b.reason, b.blocked_by, b.created_at
         FROM seen s FULL JOIN reuse_blocked_versions b ON b.engine = s.engine AND b.engine_version = s.engine_version
        ORDER BY 1, 2`,
    );
    return rows.map((r: Record<string, unknown>) => ({
      engine: r.engine as Engine,
      engineVersion: r.version as string,
      completedJobs: r.n as number,
      reuseBlocked: r.blocked as boolean,
      reason: (r.reason as string | null) ?? null,
      blockedBy: (r.blocked_by as string | null) ?? null,
      blockedAt: (r.created_at as Date | null) ?? null,
    }));
  }

  /** Turns reuse of one engine version's results off (`reuse` false) or back on. */
  async set(engine: string, engineVersion: string, reuse: boolean, by: string, reason?: string): Promise<void> {
    if (!(ENGINES as readonly string[]).includes(engine))
      throw new BadRequestException([`engine: must be one of ${ENGINES.join(', ')}`]);
    if (!/^[^\u0000-\u001f\u007f]{1,200}$/.test(engineVersion))
      throw new BadRequestException(['engineVersion: 1-200 printable characters, as jobs show it ("xtb 6.5.1")']);
    if (reuse) {
      await this.dataSource.query(`DELETE FROM reuse_blocked_versions WHERE engine = $1 AND engine_version = $2`, [
        engine,
        engineVersion,
      ]);
      return;
    }
    await this.dataSource.query(
      `INSERT INTO reuse_blocked_versions (engine, engine_version, reason, blocked_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (engine, engine_version) DO UPDATE SET reason = EXCLUDED.reason, blocked_by = EXCLUDED.blocked_by`,
      [engine, engineVersion, reason?.slice(0, 500) ?? null, by],
    );
  }
}
