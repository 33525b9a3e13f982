import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newWorld, setUpWorld, tearDownWorld } from '../support/test-config';
import { TestPlatform } from '../support/test-master';

// The web app's API types are generated from this master's OpenAPI document (openapi-typescript) and
// checked in; this spec fails when they drift. `npm run api-types` writes them anew.
const world = newWorld();
const platform = new TestPlatform(world);
const ROOT = join(__dirname, '..', '..');
const CHECKED_IN = join(ROOT, 'web', 'src', 'api-schema.d.ts');

beforeAll(async () => {
  await setUpWorld(world);
  await platform.start();
});

afterAll(async () => {
  await platform.stop();
  await tearDownWorld(world);
});

it("web/src/api-schema.d.ts is what openapi-typescript makes of this master's OpenAPI document", async () => {
  const document = (await platform.http().get('/docs-json').expect(200)).body;
  const dir = mkdtempSync(join(tmpdir(), 'molq-openapi-'));
  try {
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
    execFileSync(
      join(ROOT, 'node_modules', '.bin', 'openapi-typescript'),
      [join(dir, 'openapi.json'), '-o', join(dir, 'api-schema.d.ts')],
      { stdio: 'pipe' },
    );
    const fresh = `// Generated from the master's OpenAPI document by openapi-typescript (npm run api-types): do not edit.\n${readFileSync(join(dir, 'api-schema.d.ts'), 'utf8')}`;
    if (process.env.UPDATE_API_TYPES === '1') writeFileSync(CHECKED_IN, fresh);
    expect(readFileSync(CHECKED_IN, 'utf8')).toBe(fresh); // else: npm run api-types, and commit the file
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
