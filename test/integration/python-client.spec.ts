import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { QUEUE_NAMES } from '../../queues';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// The Python client's own suite (clients/python/tests, pytest) against a real master listening on
// loopback, with every pool in process and real xtb and LAMMPS runs. scripts/ensure-python-client.sh
// made the virtualenv; the test command counts pytest's tests from the JUnit file in its closing line.
const ROOT = join(__dirname, '..', '..');
const PYTHON = join(ROOT, 'clients', 'python', '.venv', 'bin', 'python');
const PYTEST_REPORT = join(ROOT, 'test-output', 'pytest.xml');

const world = newWorld();
const ctx = usePlatform(world, [...QUEUE_NAMES]);

async function token(auth: string, scope: 'read' | 'submit'): Promise<string> {
  const made = await ctx.platform
    .http()
    .post('/api/v1/auth/tokens')
    .set('Authorization', auth)
    .send({ name: `pytest ${scope}`, scope })
    .expect(201);
  return made.body.token;
}

describe('Python client', () => {
  it('passes its pytest suite against this master', async () => {
    if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: run scripts/ensure-python-client.sh`);
    await ctx.platform.app.listen(0, '127.0.0.1');
    const { port } = ctx.platform.app.getHttpServer().address() as AddressInfo;
    mkdirSync(join(ROOT, 'test-output'), { recursive: true });
    const env = {
      PATH: `${join(ROOT, 'clients', 'python', '.venv', 'bin')}:${process.env.PATH}`,
      HOME: process.env.HOME ?? '/root',
      MOLQ_URL: `http://127.0.0.1:${port}`,
      MOLQ_TOKEN: await token(ctx.user.auth, 'submit'),
      MOLQ_READ_TOKEN: await token(ctx.user.auth, 'read'),
    };
    const pytest = spawn(
      PYTHON,
      [
        '-m',
        'pytest',
        '-q',
        '-p',
        'no:cacheprovider',
        `--junitxml=${PYTEST_REPORT}`,
        ...(process.env.PYTEST_K ? ['-k', process.env.PYTEST_K] : []), // a developer's subset: PYTEST_K=doctor
        'clients/python/tests',
      ],
      { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    pytest.stdout.on('data', (d) => (output += d));
    pytest.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => pytest.on('exit', resolve));
    if (code !== 0) throw new Error(`pytest exited ${code}:\n${output.slice(-20_000)}`);
    expect(output).toMatch(/\d+ passed/);
  }, 900_000);
});
