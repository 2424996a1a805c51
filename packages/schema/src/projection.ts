import { SchemaError, SchemaErrorCodes } from './errors.js';
import { describeValue } from './describe-value.js';
import type { ClickstreamProjection } from './types.js';

/**
 * Field-projection decoder for ClickstreamEvent: reads user_id (1), page_url (2), timestamp (3), event_type (4) and
 * event_id (5) straight from the wire and skips every other field without decoding it. Agrees with the full decoder
 * on every valid input (same proto3 rules: last value wins, a field with an unexpected wire type is skipped as an
 * unknown field), and rejects the same malformed inputs (truncation, bad wire types and tags, invalid UTF-8) — with
 * one deliberate exception: strings of fields it skips (session_id, referrer, …) are not checked for valid UTF-8,
 * since not reading them is the point. Such an event decodes here and fails in decodeClickstreamEvent.
 */

const CLICK = 'CLICK';
const VIEW = 'VIEW';
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Node's native latin1 slice; callable on any Uint8Array. Undefined outside Node (falls back to TextDecoder). */
const latin1Slice = (
  globalThis as {
    Buffer?: { prototype: { latin1Slice?: (this: Uint8Array, start: number, end: number) => string } };
  }
).Buffer?.prototype.latin1Slice;

class Cursor {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly end: number,
  ) {}
}

function fail(reason: string): never {
  throw new SchemaError(SchemaErrorCodes.DECODE_FAILED, `not a valid ClickstreamEvent: ${reason}`);
}

function outOfRange(c: Cursor, pos: number): never {
  return fail(`index out of range: ${pos} + 1 > ${c.end}`);
}

/**
 * Reads a tag or a length: at most 5 bytes, like protobufjs; a tag's 5th byte may only carry
 * 4 bits, a length must stay below 2^31.
 */
function readVarint32(c: Cursor, isLength: boolean): number {
  const buf = c.buf;
  let pos = c.pos;
  let result = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    if (pos >= c.end) outOfRange(c, pos);
    const b = buf[pos++]!;
    result = (result | ((b & 0x7f) << shift)) >>> 0;
    if (b < 0x80) {
      c.pos = pos;
      return result;
    }
  }
  if (pos >= c.end) outOfRange(c, pos);
  const b = buf[pos++]!;
  if (isLength ? b > 7 : b >= 0x80 || (b & 0x70) !== 0)
    fail(isLength ? 'invalid length encoding' : 'invalid tag encoding');
  c.pos = pos;
  return (result | (b << 28)) >>> 0;
}

function skipVarint(c: Cursor): void {
  const buf = c.buf;
  let pos = c.pos;
  do {
    if (pos >= c.end) outOfRange(c, pos);
  } while (buf[pos++]! & 0x80);
  c.pos = pos;
}

/** int64 varint → JS number (two's complement for negatives, exact within 2^53). */
function readInt64(c: Cursor): number {
  const buf = c.buf;
  let pos = c.pos;
  let lo = 0;
  let hi = 0;
  let b = 0;
  let i = 0;
  for (; i < 4; i++) {
    if (pos >= c.end) fail(`index out of range: ${pos} + 1 > ${c.end}`);
    b = buf[pos++]!;
    lo = (lo | ((b & 0x7f) << (i * 7))) >>> 0;
    if (b < 0x80) {
      c.pos = pos;
      return lo;
    }
  }
  if (pos >= c.end) fail(`index out of range: ${pos} + 1 > ${c.end}`);
  b = buf[pos++]!;
  lo = (lo | ((b & 0x7f) << 28)) >>> 0;
  hi = (b & 0x7f) >> 4;
  if (b >= 0x80) {
    for (i = 0; i < 5; i++) {
      if (pos >= c.end) fail(`index out of range: ${pos} + 1 > ${c.end}`);
      b = buf[pos++]!;
      hi = (hi | ((b & 0x7f) << (i * 7 + 3))) >>> 0;
      if (b < 0x80) break;
    }
    if (b >= 0x80) fail('invalid varint encoding');
  }
  c.pos = pos;
  if (hi >>> 31) {
    // negative: -(~value + 1)
    const nlo = (~lo + 1) >>> 0;
    const nhi = (~hi + (nlo === 0 ? 1 : 0)) >>> 0;
    return -(nhi * 4294967296 + nlo);
  }
  return hi * 4294967296 + lo;
}

/** Decodes bytes [start, end) as a string: ASCII through one native copy, anything else through a strict UTF-8 decoder. */
function stringAt(buf: Uint8Array, start: number, end: number): string {
  for (let i = start; i < end; i++) {
    if (buf[i]! >= 0x80) return decodeUtf8(buf, start, end);
  }
  // All ASCII: one native latin1 copy beats both TextDecoder and building the string by hand (measured, Node 20).
  return latin1Slice === undefined ? decodeUtf8(buf, start, end) : latin1Slice.call(buf, start, end);
}

function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  try {
    return utf8.decode(buf.subarray(start, end));
  } catch {
    return fail('invalid UTF-8 in a string field');
  }
}

/** event_type: the interned constants for the two expected values, without building a string. */
function eventTypeAt(buf: Uint8Array, start: number, end: number): string {
  const len = end - start;
  if (
    len === 5 &&
    buf[start] === 67 &&
    buf[start + 1] === 76 &&
    buf[start + 2] === 73 &&
    buf[start + 3] === 67 &&
    buf[start + 4] === 75
  ) {
    return CLICK;
  }
  if (
    len === 4 &&
    buf[start] === 86 &&
    buf[start + 1] === 73 &&
    buf[start + 2] === 69 &&
    buf[start + 3] === 87
  ) {
    return VIEW;
  }
  return stringAt(buf, start, end);
}

const MAX_GROUP_DEPTH = 100;

function skip(c: Cursor, wireType: number, fieldNumber: number, depth = 0): void {
  if (depth > MAX_GROUP_DEPTH) fail('max depth exceeded');
  switch (wireType) {
    case 0:
      skipVarint(c);
      return;
    case 1:
      c.pos += 8;
      break;
    case 2: {
      const len = readVarint32(c, true);
      c.pos += len;
      break;
    }
    case 3:
      for (;;) {
        if (c.pos >= c.end) fail('index out of range: unterminated group');
        const tag = readVarint32(c, false);
        const wt = tag & 7;
        if (tag >>> 3 === 0) fail('illegal tag: field number 0');
        if (wt === 4) {
          if (tag >>> 3 !== fieldNumber) fail('invalid end group tag');
          return;
        }
        skip(c, wt, tag >>> 3, depth + 1);
      }
    case 5:
      c.pos += 4;
      break;
    default:
      fail(`invalid wire type ${wireType} at offset ${c.pos}`);
  }
  if (c.pos > c.end) fail(`index out of range: ${c.pos} > ${c.end}`);
}

/**
 * Decodes only the fields the clickstream job needs. Absent fields are '' / 0.
 * @throws SchemaError TRIB_SCHEMA_DECODE_FAILED when the bytes are not a valid encoding.
 */
export function decodeClickstreamProjection(bytes: Uint8Array): ClickstreamProjection {
  if (!(bytes instanceof Uint8Array)) fail(`expected a Uint8Array, got ${describeValue(bytes)}`);
  const buf = bytes;
  const end = bytes.length;
  // Single-byte tags and lengths (the common case) are read inline; everything else goes through the helpers.
  const c = new Cursor(bytes, end);
  let pos = 0;
  let userId = '';
  let pageUrl = '';
  let timestamp = 0;
  let eventType = '';
  let eventId = '';
  while (pos < end) {
    let tag = buf[pos]!;
    if (tag < 0x80) pos++;
    else {
      c.pos = pos;
      tag = readVarint32(c, false);
      pos = c.pos;
    }
    const wireType = tag & 7;
    const field = tag >>> 3;
    if (field === 0) fail(`illegal tag: field number 0 at offset ${pos}`);
    if (wireType === 2) {
      let len = pos < end ? buf[pos]! : 0x80;
      if (len < 0x80) pos++;
      else {
        c.pos = pos;
        len = readVarint32(c, true);
        pos = c.pos;
      }
      const stop = pos + len;
      if (stop > end) fail(`index out of range: ${pos} + ${len} > ${end}`);
      if (field === 2) pageUrl = stringAt(buf, pos, stop);
      else if (field === 4) eventType = eventTypeAt(buf, pos, stop);
      else if (field === 5) eventId = stringAt(buf, pos, stop);
      else if (field === 1) userId = stringAt(buf, pos, stop);
      pos = stop;
      continue;
    }
    c.pos = pos;
    if (wireType === 0 && field === 3) timestamp = readInt64(c);
    else skip(c, wireType, field);
    pos = c.pos;
  }
  return { userId, pageUrl, timestamp, eventType, eventId };
}
