import { InvalidConfigError, loadConfig } from '../config/load-config';

/** Loads a process's config or stops it with exit code 78 and a message naming each bad variable. */
export function configOrExit<T extends object>(schema: new () => T, processName: string): T {
  try {
    return loadConfig(schema);
  } catch (err) {
    if (err instanceof InvalidConfigError) {
      process.stderr.write(`molq ${processName}: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}
