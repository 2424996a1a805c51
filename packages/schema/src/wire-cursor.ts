import { SchemaErrorCodes, rejection } from './errors.js';

/**
 * Protobuf wire-format primitives for the projection decoder (internal). Each one accepts and rejects exactly what
 * the protobufjs Reader accepts and rejects (reader.js: tag, size, skip, skipType, int64), so that a decoder built on
 * them gives the same verdict as the generated full decoder. Failures throw TRIB_SCHEMA_DECODE_FAILED.
 */

/** Read position over `buf[0, end)`. */
export class WireCursor {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly end: number,
  ) {}
}

/** protobufjs util.recursionLimit (protoc's default): deepest group nesting skipType accepts. */
export const MAX_GROUP_DEPTH = 100;

export function wireFail(reason: string): never {
  throw rejection(SchemaErrorCodes.DECODE_FAILED, `not a valid ClickstreamEvent: ${reason}`);
}

function outOfRange(c: WireCursor, pos: number): never {
  return wireFail(`index out of range: ${pos} + 1 > ${c.end}`);
}

/**
 * Reads a tag or a length: at most 5 bytes, like protobufjs; a tag's 5th byte may only carry
 * 4 bits, a length must stay below 2^31.
 */
export function readVarint32(c: WireCursor, isLength: boolean): number {
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
    wireFail(isLength ? 'invalid length encoding' : 'invalid tag encoding');
  c.pos = pos;
  return (result | (b << 28)) >>> 0;
}

/** Skips a varint of any length (protobufjs Reader#skip() puts no bound on it). */
function skipVarint(c: WireCursor): void {
  const buf = c.buf;
  let pos = c.pos;
  do {
    if (pos >= c.end) outOfRange(c, pos);
  } while (buf[pos++]! & 0x80);
  c.pos = pos;
}

/**
 * int64 varint → JS number: at most 10 bytes; two's complement for negatives, rounded once like Long#toNumber
 * (exact within 2^53, and the same double outside it).
 */
export function readInt64(c: WireCursor): number {
  const buf = c.buf;
  let pos = c.pos;
  let lo = 0;
  let hi = 0;
  let b = 0;
  let i = 0;
  for (; i < 4; i++) {
    if (pos >= c.end) outOfRange(c, pos);
    b = buf[pos++]!;
    lo = (lo | ((b & 0x7f) << (i * 7))) >>> 0;
    if (b < 0x80) {
      c.pos = pos;
      return lo;
    }
  }
  if (pos >= c.end) outOfRange(c, pos);
  b = buf[pos++]!;
  lo = (lo | ((b & 0x7f) << 28)) >>> 0;
  hi = (b & 0x7f) >> 4;
  if (b >= 0x80) {
    for (i = 0; i < 5; i++) {
      if (pos >= c.end) outOfRange(c, pos);
      b = buf[pos++]!;
      hi = (hi | ((b & 0x7f) << (i * 7 + 3))) >>> 0;
      if (b < 0x80) break;
    }
    if (b >= 0x80) wireFail('invalid varint encoding');
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

/**
 * Skips one value of `wireType` (protobufjs Reader#skipType): varint, fixed64, length-delimited, group (matching
 * end tag, nesting up to MAX_GROUP_DEPTH), fixed32; wire types 4, 6, 7 and field number 0 are errors.
 */
export function skipField(c: WireCursor, wireType: number, fieldNumber: number, depth = 0): void {
  if (depth > MAX_GROUP_DEPTH) wireFail('max depth exceeded');
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
        if (c.pos >= c.end) wireFail('index out of range: unterminated group');
        const tag = readVarint32(c, false);
        const wt = tag & 7;
        if (tag >>> 3 === 0) wireFail('illegal tag: field number 0');
        if (wt === 4) {
          if (tag >>> 3 !== fieldNumber) wireFail('invalid end group tag');
          return;
        }
        skipField(c, wt, tag >>> 3, depth + 1);
      }
    case 5:
      c.pos += 4;
      break;
    default:
      wireFail(`invalid wire type ${wireType} at offset ${c.pos}`);
  }
  if (c.pos > c.end) wireFail(`index out of range: ${c.pos} > ${c.end}`);
}
