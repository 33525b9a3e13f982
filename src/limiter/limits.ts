/** One key's cap: at most `limit` grants in any `windowMs`. */
export interface Limit {
  limit: number;
  windowMs: number;
}

const ENTRY = /^([a-z][a-z0-9_-]{0,31})=(\d{1,7})\/(\d{1,6})(ms|s)$/;

/**
 * Parses LIMITER_LIMITS ("external=200/1s,oss=100/1s,webhooks=20/500ms"). The key "external"
 * defaults to MAX_API_RPS per second. Returns an error message naming the bad entry, or the map.
 */
export function parseLimits(spec: string | undefined, maxApiRps: number): Map<string, Limit> | string {
  const limits = new Map<string, Limit>([['external', { limit: maxApiRps, windowMs: 1_000 }]]);
  for (const raw of (spec ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = ENTRY.exec(raw);
    if (!m) return `"${raw}" is not key=N/<window>(ms|s), e.g. oss=100/1s`;
    const windowMs = Number(m[3]) * (m[4] === 's' ? 1_000 : 1);
    if (Number(m[2]) < 1 || windowMs < 1) return `"${raw}": limit and window must be positive`;
    limits.set(m[1], { limit: Number(m[2]), windowMs });
  }
  return limits;
}
