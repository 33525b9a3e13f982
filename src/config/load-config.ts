import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';

/** Thrown at start-up when the environment does not satisfy a config schema. */
export class InvalidConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment variables:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'InvalidConfigError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => {
    const reasons = Object.values(e.constraints ?? {});
    return reasons.length > 0 ? [`${e.property}: ${reasons.join('; ')}`] : describe(e.children ?? []);
  });
}

/**
 * Validates `env` once against a class-validator schema and returns the typed object.
 * Unknown variables are ignored (the environment holds many); missing or bad ones are
 * all reported at once, each named.
 */
export function loadConfig<T extends object>(schema: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const known = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(schema, known, { enableImplicitConversion: false, exposeDefaultValues: true });
  const errors = validateSync(config, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new InvalidConfigError(describe(errors));
  return config;
}
