import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { loadWorkerConfig } from '../../src/config/worker.config';
import { JobStatus } from '../../src/jobs/job-status';
import { CancelWatch } from '../../src/running/cancel-watch';
import { openDataSource } from '../support/data-source';
import { eventually } from '../support/eventually';
import { newJob, newUser } from '../support/job-factory';
import { TcpProxy } from '../support/tcp-proxy';
import { TEST_DATABASE_URL, newWorld, setUpWorld, tearDownWorld } from '../support/test-config';

// Issue 30.4: a run pool learns of a cancel by NOTIFY, not by reading the job every second. CancelWatch's
// LISTEN connection goes through a proxy the test cuts; its reads (the only ones it makes: a new watch's
// first check, the re-check after a reconnect) are counted on its own DataSource; the test's writes go
// through another.
const world = newWorld();
let reads: DataSource;
let writes: DataSource;
let link: TcpProxy;
let watch: CancelWatch;
let queries: jest.SpyInstance;
let ownerId: string;

beforeAll(async () => {
  Logger.overrideLogger(false);
  await setUpWorld(world);
  reads = await openDataSource(world);
  writes = await openDataSource(world);
  const real = new URL(TEST_DATABASE_URL);
  link = new TcpProxy(real.hostname, Number(real.port || 5432));
  const viaLink = new URL(TEST_DATABASE_URL);
  viaLink.port = String(await link.start());
  watch = new CancelWatch(loadWorkerConfig({ ...world.env, DATABASE_URL: viaLink.toString() }), reads);
  await watch.onApplicationBootstrap();
  queries = jest.spyOn(reads, 'query');
  ownerId = (await newUser(writes)).id;
});

afterAll(async () => {
  await watch?.onApplicationShutdown();
  await link?.cut();
  await reads?.destroy();
  await writes?.destroy();
  await tearDownWorld(world);
  Logger.overrideLogger(['error', 'warn', 'log']);
});

const running = async () => (await newJob(writes, ownerId, JobStatus.Running, 'qc')).id;
/** What the cancel service ends with: the row's status CANCELLED (the trigger notifies whoever writes it). */
const cancel = (id: string) => writes.query(`UPDATE jobs SET status = 'CANCELLED' WHERE id = $1`, [id]);
const setProgress = (id: string, p: number) => writes.query(`UPDATE jobs SET progress = $2 WHERE id = $1`, [id, p]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A watch whose firings are recorded with the time they came. */
function watched(id: string) {
  const fired: number[] = [];
  const stop = watch.watch(id, () => fired.push(Date.now()));
  return { fired, stop };
}

describe('CancelWatch: cancels pushed to runs (issue 30.4)', () => {
  it('a cancel reaches its watch by NOTIFY within 1 s, with no read of PostgreSQL after the watch began', async () => {
    const [a, b] = [await running(), await running()];
    queries.mockClear();
    const wa = watched(a);
    const wb = watched(b);
    await eventually(() => queries.mock.calls.length === 1, 5_000, 10); // both watches' first check: one query
    await sleep(200);
    await setProgress(a, 0.5); // a change that is not a cancel: nothing fires
    const at = Date.now();
    await cancel(a);
    await eventually(() => wa.fired.length === 1, 1_000, 5);
    expect(wa.fired[0] - at).toBeLessThan(1_000);
    await sleep(300);
    expect({ a: wa.fired.length, b: wb.fired.length }).toEqual({ a: 1, b: 0 });
    expect(queries.mock.calls).toHaveLength(1); // no polling: the cancel came on the LISTEN connection
    wb.stop();
    await cancel(b); // no longer watched: nothing fires
    await sleep(300);
    expect(wb.fired).toEqual([]);
    expect(watch.size).toBe(0);
  });

  it('a job cancelled before its watch began is fired by the first check; the watches of one tick share one query', async () => {
    const ids = [await running(), await running(), await running()];
    await cancel(ids[1]);
    await sleep(300); // its notification has come and gone, to nobody
    queries.mockClear();
    const ws = ids.map(watched);
    await eventually(() => ws[1].fired.length === 1, 5_000, 10);
    await sleep(200);
    expect(ws.map((w) => w.fired.length)).toEqual([0, 1, 0]);
    expect(queries.mock.calls).toHaveLength(1);
    expect([...queries.mock.calls[0][1][0]].sort()).toEqual([...ids].sort());
    for (const w of ws) w.stop();
  });

  it('a cancel while the LISTEN connection is away (its notification lost) fires on reconnect, after ONE query for every watched job', async () => {
    const ids = [await running(), await running(), await running()];
    queries.mockClear();
    const ws = ids.map(watched);
    await eventually(() => queries.mock.calls.length === 1, 5_000, 10);
    await link.cut(); // the listener's connection drops; PgListener reconnects with backoff
    await cancel(ids[0]); // notified to nobody
    await sleep(700);
    expect(ws[0].fired).toEqual([]);
    await link.restore();
    await eventually(() => ws[0].fired.length === 1, 10_000, 10);
    await sleep(200);
    expect(ws.map((w) => w.fired.length)).toEqual([1, 0, 0]);
    expect(queries.mock.calls).toHaveLength(2); // the first check, then one re-check on reconnect
    expect([...queries.mock.calls[1][1][0]].sort()).toEqual([...ids].sort());
    await cancel(ids[2]); // and it listens again: the next cancel comes by NOTIFY
    await eventually(() => ws[2].fired.length === 1, 1_000, 5);
    expect(queries.mock.calls).toHaveLength(2);
    for (const w of ws) w.stop();
  });
});
