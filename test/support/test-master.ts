import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { QueueName } from '../../queues';
import { createMaster } from '../../src/bootstrap/create-master';
import type { Permission } from '../../src/users/user.entity';
import { UsersService } from '../../src/users/users.service';
import { WorkerModule } from '../../workers/worker.module';
import { WorkerRunner } from '../../workers/worker-runner';
import { setUpWorld, tearDownWorld, type TestWorld } from './test-config';

/** A master and an in-process ingestion pool, both real, on the world's schema and prefix. */
export class TestPlatform {
  app!: INestApplication;
  private pool?: INestApplicationContext;

  constructor(readonly world: TestWorld) {}

  /** Starts the master and, unless `queues` is empty, one in-process pool consuming them. */
  async start(queues: QueueName[] = [QueueName.Ingestion]): Promise<this> {
    this.app = await createMaster(this.world.master);
    this.app.useLogger(false);
    await this.app.init();
    if (queues.length > 0) await this.startPool(queues);
    return this;
  }

  /** Listens on a free loopback port (once) and gives the master's base URL, for clients that need a socket. */
  async listen(): Promise<string> {
    const server = this.app.getHttpServer();
    if (!server.listening) await this.app.listen(0, '127.0.0.1');
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }

  /** Starts the in-process pool (the world's worker config) consuming `queues`. */
  async startPool(queues: QueueName[]): Promise<void> {
    this.pool = await NestFactory.createApplicationContext(WorkerModule.forPlan(this.world.worker, { queues }), {
      logger: false,
    });
    await this.pool.get(WorkerRunner).start();
  }

  /** A service of the in-process pool (to drive one step of it directly). */
  poolService<T>(type: new (...args: never[]) => T): T {
    if (!this.pool) throw new Error('no pool is running');
    return this.pool.get(type, { strict: false });
  }

  /** Stops the pool as SIGTERM would: running jobs get `graceMs`, then go back to their queue. */
  async stopPool(graceMs = 1_000): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (!pool) return;
    await pool.get(WorkerRunner).stop(graceMs);
    await pool.close();
  }

  async stop(): Promise<void> {
    await this.stopPool();
    await this.app?.close();
  }

  http() {
    return request(this.app.getHttpServer());
  }

  /** GET /api/v1/jobs/:id as that user (expects 200). */
  async job(id: string, auth: string) {
    return (await this.http().get(`/api/v1/jobs/${id}`).set('Authorization', auth).expect(200)).body;
  }

  /** Registers a fresh user (granted `permissions` by an admin first) and returns its Bearer header. */
  async newUser(permissions: Permission[] = []): Promise<{ email: string; auth: string; id: string }> {
    const email = `chemist-${Math.random().toString(36).slice(2)}@example.org`;
    const password = 'correct horse battery staple';
    const reg = await this.http().post('/api/v1/auth/register').send({ email, password }).expect(201);
    if (reg.body.status === 'pending') await this.app.get(UsersService).setStatus(email, 'active'); // REGISTRATION=approval: an admin approves
    for (const p of permissions) await this.app.get(UsersService).grant(email, p);
    const login = await this.http().post('/api/v1/auth/login').send({ email, password }).expect(200);
    return { email, id: reg.body.id, auth: `Bearer ${login.body.accessToken}` };
  }
}

/**
 * The usual set-up of a spec file: the world's schema, a master with pools for `queues`, and one
 * registered user whom an admin granted `scripts` (uploaded LAMMPS scripts); all torn down after the file.
 */
export function usePlatform(world: TestWorld, queues: QueueName[]) {
  const platform = new TestPlatform(world);
  const ctx = { platform, user: undefined as unknown as Awaited<ReturnType<TestPlatform['newUser']>> };
  beforeAll(async () => {
    await setUpWorld(world);
    await platform.start(queues);
    ctx.user = await platform.newUser(['scripts']);
  });
  afterAll(async () => {
    await platform.stop();
    await tearDownWorld(world);
  });
  return ctx;
}
