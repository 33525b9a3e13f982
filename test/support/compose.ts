import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { load } from 'js-yaml';

export const ROOT = join(__dirname, '..', '..');

export interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[]; disable?: boolean };
  volumes?: unknown[];
}

/**
 * A compose file as Debian's docker-compose resolves it (`config`: anchors merged, env_file read
 * into each service's environment). Throws with docker-compose's own message if the file is invalid.
 */
export function composeConfig(
  file: string,
  envFile: string,
): { services: Record<string, ComposeService>; text: string } {
  const text = execFileSync('docker-compose', ['-f', join(ROOT, file), '--env-file', join(ROOT, envFile), 'config'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { services: (load(text) as { services: Record<string, ComposeService> }).services, text };
}

/** The services built from molq's own image, i.e. whose command is one of docker/entrypoint.sh's. */
export const molqServices = (services: Record<string, ComposeService>) =>
  Object.entries(services).filter(([, s]) => s.image === 'molq:latest');
