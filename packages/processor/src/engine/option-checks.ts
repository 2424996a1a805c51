import { invalidOption } from '../errors.js';

/** Shared option validators: each throws `TRIB_PROC_INVALID_OPTION` naming the option and the constraint. */

export function checkPositiveInteger(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalidOption(option, `must be a positive integer (got ${String(value)})`);
  }
  return value;
}

export function checkNonNegativeInteger(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidOption(option, `must be a non-negative integer (got ${String(value)})`);
  }
  return value;
}

export function checkInteger(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw invalidOption(option, `must be an integer (got ${String(value)})`);
  }
  return value;
}

export function checkFunction(option: string, value: unknown): void {
  if (typeof value !== 'function') throw invalidOption(option, 'must be a function');
}

export function checkNonEmptyString(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalidOption(option, `must be a non-empty string (got ${JSON.stringify(value)})`);
  }
  return value;
}
