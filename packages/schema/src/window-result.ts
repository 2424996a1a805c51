import { SchemaError, SchemaErrorCodes } from './errors.js';
import { describeValue } from './describe-value.js';
import { assertInt64, int64ToNumber } from './int64.js';
import { decodeMessage } from './decode-message.js';
import { WindowResultMessage } from './messages.js';
import type { WindowResult } from './types.js';

const INT64_FIELDS = {
  windowStart: 'window_start',
  windowEnd: 'window_end',
  clickCount: 'click_count',
  viewCount: 'view_count',
  version: 'version',
} as const;

function assertWindowResult(r: WindowResult): void {
  if (r === null || typeof r !== 'object') {
    throw new SchemaError(
      SchemaErrorCodes.INVALID_FIELD,
      `window result must be an object, got ${describeValue(r)}`,
    );
  }
  if (typeof r.pageUrl !== 'string') {
    throw new SchemaError(
      SchemaErrorCodes.INVALID_FIELD,
      `page_url must be a string, got ${describeValue(r.pageUrl)}`,
      {
        field: 'page_url',
      },
    );
  }
  for (const [key, field] of Object.entries(INT64_FIELDS) as [keyof typeof INT64_FIELDS, string][]) {
    assertInt64(r[key], field);
  }
  if (typeof r.isFinal !== 'boolean') {
    throw new SchemaError(
      SchemaErrorCodes.INVALID_FIELD,
      `is_final must be a boolean, got ${describeValue(r.isFinal)}`,
      {
        field: 'is_final',
      },
    );
  }
}

/**
 * Encodes a window result to protobuf bytes.
 * @throws SchemaError TRIB_SCHEMA_INVALID_FIELD when a field is missing or has the wrong type.
 */
export function encodeWindowResult(r: WindowResult): Uint8Array {
  assertWindowResult(r);
  return WindowResultMessage.encode(r).finish();
}

/**
 * Decodes protobuf bytes into a WindowResult (proto3 defaults for absent fields).
 * @throws SchemaError TRIB_SCHEMA_DECODE_FAILED when the bytes are not a valid encoding.
 */
export function decodeWindowResult(bytes: Uint8Array): WindowResult {
  const m = decodeMessage(WindowResultMessage, 'WindowResult', bytes);
  return {
    pageUrl: m.pageUrl,
    windowStart: int64ToNumber(m.windowStart),
    windowEnd: int64ToNumber(m.windowEnd),
    clickCount: int64ToNumber(m.clickCount),
    viewCount: int64ToNumber(m.viewCount),
    isFinal: m.isFinal,
    version: int64ToNumber(m.version),
  };
}

/** The Elasticsearch/JSON document of a window result, with proto (snake_case) field names. */
export function windowResultToJSON(r: WindowResult): Record<string, unknown> {
  return {
    page_url: r.pageUrl,
    window_start: r.windowStart,
    window_end: r.windowEnd,
    click_count: r.clickCount,
    view_count: r.viewCount,
    is_final: r.isFinal,
    version: r.version,
  };
}
