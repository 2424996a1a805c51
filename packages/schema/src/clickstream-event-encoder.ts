import $protobuf from 'protobufjs/minimal.js';
import type { ClickstreamEvent } from './types.js';

/** Slab the encoded events are cut from; a new one is taken when the current one cannot hold the next event. */
const SLAB_BYTES = 64 * 1024;

/** String fields in field-number order with their tags (field << 3 | wire type 2); timestamp (3) sits between. */
const TAG_USER_ID = 10;
const TAG_PAGE_URL = 18;
const TAG_TIMESTAMP = 24;
const TAG_EVENT_TYPE = 34;
const TAG_EVENT_ID = 42;
const TAG_SESSION_ID = 50;
const TAG_REFERRER = 58;
const TAG_USER_AGENT = 66;
const TAG_DEVICE = 74;
const TAG_COUNTRY = 82;

const TWO_32 = 4294967296;

/**
 * Below this many UTF-16 units protobufjs writes a non-ASCII string with its own UTF-8 writer (which keeps a lone
 * surrogate as three bytes instead of U+FFFD); from it on with Buffer's. Both are followed, byte for byte.
 */
const PROTOBUFJS_UTF8_WRITER_BELOW = 40;

/**
 * The protobuf encoding of ClickstreamEvent, written directly: the same bytes as protobufjs' generated encoder
 * (fields in number order, proto3 defaults left out; the tests compare both), at a fraction of its cost: sizes are
 * computed up front, ASCII strings are written char by char without a UTF-8 encoder call, and nothing is allocated
 * but the result. Absent (undefined) fields are left out. For events whose fields are strings and whose timestamp is
 * a safe integer: it does not validate (`encodeClickstreamEvent` does, then calls this).
 */
export function encodeClickstreamEventUnchecked(event: Partial<ClickstreamEvent>): Buffer {
  const buf = Buffer.allocUnsafe(encodedSize(event));
  writeEvent(buf, 0, event);
  return buf;
}

/**
 * A generator's encoder: `encodeClickstreamEventUnchecked`, with each event cut from a shared 64 KiB slab instead
 * of allocated alone. Earlier results stay intact (a full slab is replaced, never reused).
 */
export class ClickstreamEventEncoder {
  #slab = Buffer.allocUnsafe(SLAB_BYTES);
  #offset = 0;

  encode(event: ClickstreamEvent): Buffer {
    const size = encodedSize(event);
    if (this.#offset + size > this.#slab.length) {
      this.#slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, size));
      this.#offset = 0;
    }
    const start = this.#offset;
    this.#offset = writeEvent(this.#slab, start, event);
    return this.#slab.subarray(start, this.#offset);
  }
}

function encodedSize(event: Partial<ClickstreamEvent>): number {
  const ts = event.timestamp;
  return (
    stringFieldSize(event.userId) +
    stringFieldSize(event.pageUrl) +
    (ts === undefined || ts === 0 ? 0 : 1 + int64Size(ts)) +
    stringFieldSize(event.eventType) +
    stringFieldSize(event.eventId) +
    stringFieldSize(event.sessionId) +
    stringFieldSize(event.referrer) +
    stringFieldSize(event.userAgent) +
    stringFieldSize(event.device) +
    stringFieldSize(event.country)
  );
}

function writeEvent(buf: Buffer, o: number, event: Partial<ClickstreamEvent>): number {
  const ts = event.timestamp;
  o = writeStringField(buf, o, TAG_USER_ID, event.userId);
  o = writeStringField(buf, o, TAG_PAGE_URL, event.pageUrl);
  if (ts !== undefined && ts !== 0) {
    buf[o++] = TAG_TIMESTAMP;
    o = writeInt64(buf, o, ts);
  }
  o = writeStringField(buf, o, TAG_EVENT_TYPE, event.eventType);
  o = writeStringField(buf, o, TAG_EVENT_ID, event.eventId);
  o = writeStringField(buf, o, TAG_SESSION_ID, event.sessionId);
  o = writeStringField(buf, o, TAG_REFERRER, event.referrer);
  o = writeStringField(buf, o, TAG_USER_AGENT, event.userAgent);
  o = writeStringField(buf, o, TAG_DEVICE, event.device);
  return writeStringField(buf, o, TAG_COUNTRY, event.country);
}

function varintSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;
}

/** Bytes of the int64 varint of a safe integer (negative: 64-bit two's complement, always 10). */
function int64Size(value: number): number {
  if (value < 0) return 10;
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

/** UTF-8 length of `s`: counted in JS when it is all ASCII (one byte per char), else by Buffer.byteLength. */
function utf8Length(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, 'utf8');
  return s.length;
}

function stringFieldSize(s: string | undefined): number {
  if (s === undefined || s.length === 0) return 0;
  const n = utf8Length(s);
  return 1 + varintSize(n) + n;
}

function writeVarint(buf: Buffer, o: number, n: number): number {
  while (n >= 0x80) {
    buf[o++] = (n & 0x7f) | 0x80;
    n >>>= 7;
  }
  buf[o++] = n;
  return o;
}

function writeStringField(buf: Buffer, o: number, tag: number, s: string | undefined): number {
  if (s === undefined || s.length === 0) return o;
  const chars = s.length;
  const n = utf8Length(s);
  buf[o++] = tag;
  o = writeVarint(buf, o, n);
  if (n === chars) {
    for (let i = 0; i < chars; i++) buf[o + i] = s.charCodeAt(i);
  } else if (chars < PROTOBUFJS_UTF8_WRITER_BELOW) {
    $protobuf.util.utf8.write(s, buf, o);
  } else {
    buf.write(s, o, n, 'utf8');
  }
  return o + n;
}

/** int64 varint of a safe integer, as protobufjs writes it (negative numbers as 64-bit two's complement). */
function writeInt64(buf: Buffer, o: number, value: number): number {
  let hi = Math.floor(value / TWO_32);
  let lo = value - hi * TWO_32;
  hi >>>= 0;
  lo >>>= 0;
  while (hi > 0) {
    buf[o++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  while (lo >= 0x80) {
    buf[o++] = (lo & 0x7f) | 0x80;
    lo >>>= 7;
  }
  buf[o++] = lo;
  return o;
}
