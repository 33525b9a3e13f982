import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { newWorld } from '../support/test-config';
import { usePlatform } from '../support/test-master';

// /metrics and /docs without METRICS_TOKEN (issue 27, 7a): only for callers on this host, as the
// trusted proxy (TRUSTED_PROXIES, loopback here: the test client) names the client, on every spelling.
const world = newWorld({ TRUSTED_PROXIES: 'loopback' });
const ctx = usePlatform(world, []);
const http = () => ctx.platform.http();

const OPS_PATHS = [
  '/metrics',
  '/metrics/',
  '/METRICS',
  '/Metrics/',
  '//metrics',
  '/docs',
  '/docs/',
  '/DOCS/',
  '/docs-json',
  '/docs-json/',
  '/Docs-Json',
  '/docs-yaml',
];

describe('ops gate (/metrics, /docs) without METRICS_TOKEN', () => {
  it('a remote client behind the same-host trusted proxy gets 401 on every spelling of /metrics and /docs', async () => {
    for (const path of OPS_PATHS) {
      const res = await http().get(path).set('X-Forwarded-For', '203.0.113.7').redirects(0);
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
    }
  });

  it('a caller on this host (no forwarded client, or the proxy naming a loopback client) is answered', async () => {
    expect((await http().get('/metrics')).status).toBe(200);
    expect((await http().get('/docs-json')).status).toBe(200);
    expect((await http().get('/metrics').set('X-Forwarded-For', '127.0.0.1')).status).toBe(200);
  });

  it('docker/nginx.conf guards the /metrics and /docs prefixes, not only the exact /metrics', () => {
    const conf = readFileSync(join(__dirname, '../../docker/nginx.conf'), 'utf8');
    expect(conf).not.toMatch(/location = \/metrics/);
    const guard = conf.split('\n').find((line) => line.includes('location ~* ^/+(metrics|docs) {'));
    expect(guard).toMatch(/allow 127\.0\.0\.1; deny all; proxy_pass/);
  });
});
