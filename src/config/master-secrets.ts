/** Secrets only the master holds: a worker pool (and so any engine it runs) never receives them. */
export const MASTER_SECRETS = ['JWT_SECRET', 'URL_SIGNING_SECRET'] as const;

/** An environment for a worker pool: everything but the master's secrets. */
export function withoutMasterSecrets<T extends Record<string, string | undefined>>(env: T): T {
  return Object.fromEntries(
    Object.entries(env).filter(([k]) => !(MASTER_SECRETS as readonly string[]).includes(k)),
  ) as T;
}
