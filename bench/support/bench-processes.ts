import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { withoutMasterSecrets } from '../../src/config/master-secrets';

export const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One JSON call to the master, with its latency. */
export function call(
  port: number,
  method: string,
  path: string,
  body?: unknown,
  auth?: string,
): Promise<{ status: number; body: any; ms: number }> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent,
        headers: {
          'content-type': 'application/json',
          ...(auth ? { authorization: auth } : {}),
          ...(payload ? { 'content-length': payload.length } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            // not JSON (/metrics): the text as it is
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, ms: performance.now() - started });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** A built entry point (dist/…) as a child process; BENCH_CPU_PROF=dir profiles it (--cpu-prof). */
export function start(
  script: string,
  args: string[],
  env: Record<string, string>,
  masterSecrets = false,
): ChildProcess {
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const childEnv = masterSecrets ? { ...process.env, ...env } : withoutMasterSecrets({ ...process.env, ...env });
  return spawn(process.execPath, [...prof, join(__dirname, '..', '..', script), ...args], {
    env: childEnv,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs = 120_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** CPU seconds of a process (own) and of the children it has waited for (engines, sandboxes), from /proc. */
export function cpuSeconds(pid: number): { own: number; children: number } {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const tick = 100; // USER_HZ on Linux
    return {
      own: (Number(fields[11]) + Number(fields[12])) / tick,
      children: (Number(fields[13]) + Number(fields[14])) / tick,
    };
  } catch {
    return { own: NaN, children: NaN };
  }
}
