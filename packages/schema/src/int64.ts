import { describeValue } from './describe-value.js';
import { SchemaError, SchemaErrorCodes } from './errors.js';

/** A protobufjs Long (present when the `long` package is installed) or a plain number. */
interface LongLike {
  toNumber(): number;
}

/** Converts a decoded int64 (number or Long) to a JS number. */
export function int64ToNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value !== null && typeof value === 'object' && typeof (value as LongLike).toNumber === 'function') {
    return (value as LongLike).toNumber();
  }
  return 0;
}

/** Throws INVALID_FIELD unless `value` is a safe integer (int64 fields are JS numbers within 2^53). */
export function assertInt64(value: unknown, field: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new SchemaError(
      SchemaErrorCodes.INVALID_FIELD,
      `${field} must be a safe integer, got ${describeValue(value)}`,
      {
        field,
      },
    );
  }
}
