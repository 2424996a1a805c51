import { describe, expect, it } from 'vitest';
import { assertInt64, int64ToNumber } from '../src/int64.js';

describe('int64ToNumber', () => {
  it('passes numbers through and converts Long-like objects', () => {
    expect(int64ToNumber(5)).toBe(5);
    expect(int64ToNumber({ toNumber: () => -42 })).toBe(-42);
  });

  it('maps anything else to the proto3 default 0', () => {
    expect(int64ToNumber(undefined)).toBe(0);
    expect(int64ToNumber(null)).toBe(0);
    expect(int64ToNumber({})).toBe(0);
  });
});

describe('assertInt64', () => {
  it('accepts safe integers, including negatives', () => {
    expect(() => assertInt64(Number.MAX_SAFE_INTEGER, 'version')).not.toThrow();
    expect(() => assertInt64(-1, 'version')).not.toThrow();
  });

  it.each([[1.5], [Number.MAX_SAFE_INTEGER + 1], [Number.NaN], ['5'], [undefined]])(
    'rejects %s naming the field',
    (value) => {
      expect(() => assertInt64(value, 'window_start')).toThrow(
        expect.objectContaining({
          code: 'TRIB_SCHEMA_INVALID_FIELD',
          field: 'window_start',
          message: expect.stringContaining('window_start must be a safe integer'),
        }),
      );
    },
  );
});
