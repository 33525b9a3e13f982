import { registerDecorator, type ValidationArguments } from 'class-validator';

const PLACEHOLDER = /change.?me|replace.?me|placeholder|example|secret|password|xxxx|todo|fixme|<.*>/i;
const MIN_LENGTH = 32;
/** Bits per character below which a value is not random (hex is 4, base64 about 6; "aaaa…" or "abab…" near 0-1). */
const MIN_ENTROPY_BITS = 3;

/** Shannon entropy of the value's characters, bits per character. */
export function entropyBitsPerChar(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length);
  return bits;
}

/** Why a secret is unfit, or null: too short, a known placeholder, or not random. */
export function secretProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'is required (a random value: openssl rand -hex 32)';
  if (PLACEHOLDER.test(value)) return 'is a placeholder: put a random value (openssl rand -hex 32)';
  if (value.length < MIN_LENGTH) return `must be at least ${MIN_LENGTH} characters (openssl rand -hex 32)`;
  if (entropyBitsPerChar(value) < MIN_ENTROPY_BITS)
    return 'is not random enough: put a random value (openssl rand -hex 32)';
  return null;
}

/** A secret from the environment: long, random, not a placeholder. The message never shows the value. */
export function StrongSecret(): PropertyDecorator {
  return (target, property) =>
    registerDecorator({
      name: 'strongSecret',
      target: target.constructor,
      propertyName: String(property),
      validator: {
        validate: (value: unknown) => secretProblem(value) === null,
        defaultMessage: (args: ValidationArguments) => secretProblem(args.value) ?? 'invalid',
      },
    });
}
