import { invalidOption } from './errors.js';

/** Small validators shared by every options object of this package. Each throws TRIB_PRODUCER_INVALID_OPTION. */

export function integerIn(
  option: string,
  value: unknown,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    throw invalidOption(option, `must be an integer ${range}`, value);
  }
  return value;
}

export function numberIn(
  option: string,
  value: unknown,
  min: number,
  max = Number.POSITIVE_INFINITY,
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range = max === Number.POSITIVE_INFINITY ? `>= ${min}` : `between ${min} and ${max}`;
    throw invalidOption(option, `must be a finite number ${range}`, value);
  }
  return value;
}

export function positiveNumber(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw invalidOption(option, 'must be a finite number > 0', value);
  }
  return value;
}

/** A probability: a number in [0, 1]. */
export function fraction(option: string, value: unknown): number {
  return numberIn(option, value, 0, 1);
}

export function nonEmptyString(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalidOption(option, 'must be a non-empty string', value);
  }
  return value;
}

export function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalidOption(option, `must be one of ${allowed.join(', ')}`, value);
  }
  return value as T;
}

export function stringList(option: string, value: unknown): string[] {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.some((v) => typeof v !== 'string' || v.length === 0)
  ) {
    throw invalidOption(option, 'must be a non-empty list of non-empty strings', value);
  }
  return [...(value as string[])];
}

export function optionalString(option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return nonEmptyString(option, value);
}

export function booleanOption(option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalidOption(option, 'must be a boolean', value);
  return value;
}

/** Rejects keys that are not options, so a typo (`--late-rte`) never silently falls back to a default. */
export function rejectUnknownKeys(what: string, value: object, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      throw invalidOption(`${what}.${key}`, `is not a known option (known: ${known.join(', ')})`, key);
  }
}
