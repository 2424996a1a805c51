import { describe, expect, it } from 'vitest';
import { SchemaErrorCodes } from '../src/errors.js';
import type { WindowResult } from '../src/types.js';
import { decodeWindowResult, encodeWindowResult } from '../src/window-result.js';
import { sampleWindowResult } from './helpers/window-results.js';

const result = sampleWindowResult;

describe('WindowResult codec', () => {
  it('round-trips, with int64 counts above 2^32 as numbers', () => {
    const decoded = decodeWindowResult(encodeWindowResult(result));
    expect(decoded).toEqual(result);
    expect(typeof decoded.viewCount).toBe('number');
  });

  it('round-trips zero values (proto3 defaults)', () => {
    const zero: WindowResult = {
      pageUrl: '',
      windowStart: 0,
      windowEnd: 0,
      clickCount: 0,
      viewCount: 0,
      isFinal: false,
      version: 0,
    };
    expect(encodeWindowResult(zero)).toHaveLength(0);
    expect(decodeWindowResult(new Uint8Array())).toEqual(zero);
  });

  it('rejects missing or mistyped fields naming the proto field', () => {
    const { clickCount: _omit, ...withoutClicks } = result;
    expect(() => encodeWindowResult(withoutClicks as WindowResult)).toThrow(
      expect.objectContaining({ code: SchemaErrorCodes.INVALID_FIELD, field: 'click_count' }),
    );
    expect(() => encodeWindowResult({ ...result, isFinal: 1 as unknown as boolean })).toThrow(
      expect.objectContaining({ field: 'is_final' }),
    );
    expect(() => encodeWindowResult({ ...result, pageUrl: undefined as unknown as string })).toThrow(
      expect.objectContaining({ field: 'page_url' }),
    );
  });

  it('throws TRIB_SCHEMA_DECODE_FAILED on truncated bytes', () => {
    const bytes = encodeWindowResult(result);
    expect(() => decodeWindowResult(bytes.subarray(0, 4))).toThrow(
      expect.objectContaining({ code: SchemaErrorCodes.DECODE_FAILED }),
    );
  });
});
