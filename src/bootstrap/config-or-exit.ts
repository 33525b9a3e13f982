import { InvalidConfigError, loadConfig } from '../config/load-config';

/**
 * Loads a process's config (a schema, or a loader for composite configs) or stops the process
 * with exit code 78 and a message naming each bad variable.
 */
export function configOrExit<T extends object>(schema: (new () => T) | { load: () => T }, processName: string): T {
  try {
    return 'load' in schema ? schema.load() : loadConfig(schema);
  } catch (err) {
    if (err instanceof InvalidConfigError) {
      process.stderr.write(`molq ${processName}: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}
