/** How deeply a request's JSON may nest: a job spec needs 4 levels, a bulk submission 5. */
export const MAX_JSON_DEPTH = 32;

/**
 * The deepest nesting of arrays and objects in raw JSON text, counted without parsing (strings
 * skipped), stopping as soon as it passes `limit`: a 100,000-deep array costs one quick scan,
 * never a parse or a class-transformer recursion.
 */
export function jsonDepthExceeds(raw: Buffer, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}
