import { SchemaError, SchemaErrorCodes } from './errors.js';
import { describeValue } from './describe-value.js';
import { assertInt64, int64ToNumber } from './int64.js';
import { decodeMessage } from './decode-message.js';
import { WindowResultMessage } from './messages.js';
import type { WindowResult } from './types.js';
import { WINDOW_DOCUMENT_FIELDS as F } from './window-document.js';

const INT64_FIELDS = {
  windowStart: F.windowStart,
  windowEnd: F.windowEnd,
  clickCount: F.clickCount,
  viewCount: F.viewCount,
  version: F.version,
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
      `${F.pageUrl} must be a string, got ${describeValue(r.pageUrl)}`,
      {
        field: F.pageUrl,
      },
    );
  }
  for (const [key, field] of Object.entries(INT64_FIELDS) as [keyof typeof INT64_FIELDS, string][]) {
    assertInt64(r[key], field);
  }
  if (typeof r.isFinal !== 'boolean') {
    throw new SchemaError(
      SchemaErrorCodes.INVALID_FIELD,
      `${F.isFinal} must be a boolean, got ${describeValue(r.isFinal)}`,
      {
        field: F.isFinal,
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
