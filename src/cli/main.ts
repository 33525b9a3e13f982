import 'reflect-metadata';
import { HttpException, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AccountStatusService } from '../admin-api/account-status.service';
import { configOrExit } from '../bootstrap/config-or-exit';
import { CommonConfig } from '../config/common.config';
import type { QueueName } from '../../queues';
import { RateLimiter } from '../limiter/rate-limiter';
import { QueueOperations, UnknownQueueError } from '../queueing/queue-operations';
import { PERMISSIONS, ROLES, type Permission, type Role } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { WorkerTokensService } from '../worker-tokens/worker-tokens.service';
import { runReuseCommand } from './reuse-commands';
import { need, USAGE, UsageError } from './usage';

function queuesFlag(ops: QueueOperations, flags: Record<string, string | undefined>): QueueName[] {
  try {
    return ops.select(need(flags.queue, 'queue'));
  } catch (err) {
    throw err instanceof UnknownQueueError ? new UsageError(err.message) : err;
  }
}

function role(value: string | undefined): Role {
  const r = (value ?? 'user') as Role;
  if (!ROLES.includes(r)) throw new UsageError(`--role: must be one of ${ROLES.join(', ')}`);
  return r;
}

function permission(value: string | undefined): Permission {
  const p = need(value, 'permission') as Permission;
  if (!PERMISSIONS.includes(p)) throw new UsageError(`--permission: must be one of ${PERMISSIONS.join(', ')}`);
  return p;
}

async function readPassword(): Promise<string> {
  if (process.env.MOLQ_PASSWORD) return process.env.MOLQ_PASSWORD;
  if (process.stdin.isTTY) throw new UsageError('give the password in MOLQ_PASSWORD or on stdin');
  let data = '';
  for await (const chunk of process.stdin) data += chunk;
  return data.replace(/\r?\n$/, '');
}

async function run(
  app: INestApplicationContext,
  words: string[],
  flags: Record<string, string | undefined>,
): Promise<void> {
  const users = app.get(UsersService);
  const tokens = app.get(WorkerTokensService);
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  switch (words.join(' ')) {
    case 'users create': {
      const password = await readPassword();
      if (password.length < 10) throw new UsageError('password: must be at least 10 characters');
      const user = await users.create(need(flags.email, 'email'), password, role(flags.role));
      return out(`created ${user.role} ${user.email} (${user.id})`);
    }
    case 'users promote': {
      const user = await users.setRole(need(flags.email, 'email'), role(need(flags.role, 'role')));
      return out(`${user.email} is now ${user.role}`);
    }
    case 'users grant':
    case 'users revoke': {
      const p = permission(flags.permission);
      const user = await (words[1] === 'grant'
        ? users.grant(need(flags.email, 'email'), p)
        : users.revoke(need(flags.email, 'email'), p));
      return out(`${user.email}: permissions ${user.permissions.join(',') || '(none)'}`);
    }
    case 'users approve':
    case 'users disable': {
      const user = await app
        .get(AccountStatusService)
        .set(need(flags.email, 'email'), words[1] === 'approve' ? 'active' : 'disabled', 'cli');
      return out(`${user.email} is now ${user.status}`);
    }
    case 'users list': {
      out('email	role	status	permissions	created');
      for (const u of await users.list())
        out(`${u.email}	${u.role}	${u.status}	${u.permissions.join(',') || '-'}	${u.createdAt.toISOString()}`);
      return;
    }
    case 'tokens create': {
      const issued = await tokens.create(need(flags.name, 'name'), need(flags.queues, 'queues').split(','));
      out(`token for ${issued.record.name} (queues ${issued.record.queues.join(',')}); shown once, store it now:`);
      return out(issued.token);
    }
    case 'tokens list': {
      out('name\tqueues\tcreated\tlast seen\tstatus');
      for (const t of await tokens.list()) {
        const status = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : 'active';
        out(
          `${t.name}\t${t.queues.join(',')}\t${t.createdAt.toISOString()}\t${t.lastSeenAt?.toISOString() ?? 'never'}\t${status}`,
        );
      }
      return;
    }
    case 'tokens revoke': {
      const t = await tokens.revoke(need(flags.name, 'name'));
      return out(`revoked ${t.name}`);
    }
    case 'queues status': {
      out('queue\tpaused\tworkers\twaiting\tprioritized\tactive\tdelayed\tfailed\tcompleted');
      for (const q of await app.get(QueueOperations).status()) {
        const c = q.counts;
        out(
          `${q.queue}\t${q.paused ? 'yes' : 'no'}\t${q.workers}\t${c.waiting}\t${c.prioritized}\t${c.active}\t${c.delayed}\t${c.failed}\t${c.completed}`,
        );
      }
      out('');
      return run(app, ['limiter', 'status'], flags);
    }
    case 'queues pause':
    case 'queues resume': {
      const ops = app.get(QueueOperations);
      for (const q of queuesFlag(ops, flags)) {
        await (words[1] === 'pause' ? ops.pause(q) : ops.resume(q));
        out(`${q}: ${words[1] === 'pause' ? 'paused' : 'resumed'}`);
      }
      return;
    }
    case 'queues drain': {
      const ops = app.get(QueueOperations);
      const timeout = Number(flags.timeout ?? 600);
      if (!Number.isInteger(timeout) || timeout < 0) throw new UsageError('--timeout: must be whole seconds');
      for (const q of queuesFlag(ops, flags)) {
        const left = await ops.drain(q, timeout * 1_000, (active) => out(`${q}: paused, ${active} running…`));
        if (left > 0) throw new Error(`${q}: ${left} still running after ${timeout} s (the queue stays paused)`);
        out(`${q}: drained (paused, nothing running); resume with: queues resume --queue ${q}`);
      }
      return;
    }
    case 'queues retry-failed': {
      const ops = app.get(QueueOperations);
      for (const q of queuesFlag(ops, flags)) out(`${q}: ${await ops.retryFailed(q)} failed entr(ies) back to waiting`);
      return;
    }
    case 'limiter status': {
      const limiter = app.get(RateLimiter);
      const stats = await limiter.stats();
      out('key\tused\tlimit\twindow\tgranted\trefused');
      for (const key of limiter.keys()) {
        const use = await limiter.windowUse(key);
        out(
          `${key}\t${use.used}\t${use.limit}\t${use.windowMs}ms\t${stats[key]?.granted ?? 0}\t${stats[key]?.refused ?? 0}`,
        );
      }
      return;
    }
    case 'reuse versions':
    case 'reuse block':
    case 'reuse allow':
      return runReuseCommand(app, words[1] as 'versions' | 'block' | 'allow', flags, out);
    default:
      throw new UsageError(`unknown command: ${words.join(' ') || '(none)'}`);
  }
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: {
        email: { type: 'string' },
        permission: { type: 'string' },
        role: { type: 'string' },
        name: { type: 'string' },
        queues: { type: 'string' },
        queue: { type: 'string' },
        timeout: { type: 'string' },
        engine: { type: 'string' },
        version: { type: 'string' },
        reason: { type: 'string' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    process.exit(64);
  }
  const config = configOrExit(CommonConfig, 'cli');
  const { CliModule } = await import('./cli.module');
  const app = await NestFactory.createApplicationContext(CliModule.forConfig(config), { logger: ['error'] });
  try {
    await run(app, parsed.positionals, parsed.values);
  } catch (err) {
    const message =
      err instanceof HttpException
        ? String((err.getResponse() as { message?: string }).message ?? err.message)
        : (err as Error).message;
    process.stderr.write(`molq cli: ${message}\n${err instanceof UsageError ? `\n${USAGE}\n` : ''}`);
    process.exitCode = err instanceof UsageError ? 64 : 1;
  } finally {
    await app.close().catch((err: Error) => process.stderr.write(`molq cli: while closing: ${err.message}\n`));
  }
}

void main();
