import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change of a job's status or progress (from any process: API, pools, pull API, batch SQL)
 * is announced with pg_notify on the channel "molq_jobs:<schema>", so the master can push live
 * updates to browsers (server-sent events) without polling. The payload names the job and its
 * owner; readers re-check ownership before sending anything on.
 */
export class JobChangeNotify1764200000000 implements MigrationInterface {
  name = 'JobChangeNotify1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION molq_notify_job_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('molq_jobs:' || TG_TABLE_SCHEMA, json_build_object(
          'id', NEW.id, 'owner', NEW.owner_id, 'batchId', NEW.batch_id, 'status', NEW.status,
          'progress', NEW.progress, 'updatedAt', NEW.updated_at)::text);
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER jobs_notify_insert AFTER INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION molq_notify_job_change()`,
    );
    await q.query(`
      CREATE TRIGGER jobs_notify_update AFTER UPDATE OF status, progress ON jobs FOR EACH ROW
      WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.progress IS DISTINCT FROM NEW.progress)
      EXECUTE FUNCTION molq_notify_job_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER jobs_notify_update ON jobs`);
    await q.query(`DROP TRIGGER jobs_notify_insert ON jobs`);
    await q.query(`DROP FUNCTION molq_notify_job_change()`);
  }
}
