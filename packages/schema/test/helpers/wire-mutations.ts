import type { ClickstreamEvent } from '../../src/types.js';

/**
 * A small protobuf writer and a set of seeded mutations for differential tests of decoders: messages are built as
 * a list of field chunks so structural mutations (wrong wire type, unknown field, bad UTF-8, deep group, over-long
 * varint) land on field boundaries, and byte-level ones (bit flip, truncation, insertion) anywhere.
 */

export type Next = () => number;

export function varint(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

export function tag(field: number, wireType: number): number[] {
  return varint(field * 8 + wireType);
}

export function lengthDelimited(field: number, payload: ArrayLike<number>): number[] {
  return [...tag(field, 2), ...varint(payload.length), ...Array.from(payload)];
}

const utf8 = new TextEncoder();

export function concat(chunks: ArrayLike<number>[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let pos = 0;
  for (const c of chunks) {
    out.set(Array.from(c), pos);
    pos += c.length;
  }
  return out;
}

const STRING_FIELDS: [keyof ClickstreamEvent, number][] = [
  ['userId', 1],
  ['pageUrl', 2],
  ['eventType', 4],
  ['eventId', 5],
  ['sessionId', 6],
  ['referrer', 7],
  ['userAgent', 8],
  ['device', 9],
  ['country', 10],
];

/** One chunk per non-default field, in schema order or shuffled (decoders must not depend on the order). */
export function eventChunks(event: Partial<ClickstreamEvent>, next: Next, shuffle: boolean): number[][] {
  const chunks: number[][] = [];
  for (const [key, field] of STRING_FIELDS) {
    const value = event[key];
    if (typeof value === 'string' && value !== '') chunks.push(lengthDelimited(field, utf8.encode(value)));
  }
  if (event.timestamp) chunks.push([...tag(3, 0), ...varint(event.timestamp)]);
  if (shuffle) {
    for (let i = chunks.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [chunks[i], chunks[j]] = [chunks[j]!, chunks[i]!];
    }
  }
  return chunks;
}

function pick<T>(next: Next, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)]!;
}

function int(next: Next, max: number): number {
  return Math.floor(next() * max);
}

function asciiRun(next: Next, maxLen: number): number[] {
  return Array.from({ length: int(next, maxLen + 1) }, () => 0x20 + int(next, 0x5f));
}

/** Invalid UTF-8: lone continuation, bad lead, overlong, surrogate, above U+10FFFF, truncated sequences. */
export const INVALID_UTF8: readonly number[][] = [
  [0x80],
  [0xbf],
  [0xff],
  [0xfe],
  [0xc3, 0x28],
  [0xc0, 0x80],
  [0xc1, 0xbf],
  [0xe0, 0x80, 0x80],
  [0xe0, 0x9f, 0xbf],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xf0, 0x8f, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf5, 0x80, 0x80, 0x80],
  [0xe2, 0x82],
  [0xf0, 0x9f, 0x98],
  [0xc3],
];

/** Valid non-ASCII UTF-8, including a BOM and noncharacters (valid UTF-8, kept verbatim by both decoders). */
export const VALID_UTF8: readonly number[][] = [
  [0xc3, 0xa9],
  [0xe2, 0x82, 0xac],
  [0xf0, 0x9f, 0x98, 0x80],
  [0xef, 0xbb, 0xbf],
  [0xef, 0xbf, 0xbe],
  [0xf4, 0x8f, 0xbf, 0xbf],
  [0xed, 0x9f, 0xbf],
  [0xee, 0x80, 0x80],
];

/** A string payload with ASCII around one (valid or invalid) non-ASCII sequence; short and long ones. */
function stringPayload(next: Next): number[] {
  const seq = next() < 0.6 ? pick(next, INVALID_UTF8) : pick(next, VALID_UTF8);
  const long = next() < 0.5;
  return [...asciiRun(next, long ? 60 : 10), ...seq, ...asciiRun(next, long ? 60 : 4)];
}

/** A field of any number (known or unknown) with any of the well-formed wire types, groups possibly nested. */
function anyField(next: Next, field: number, depth = 0): number[] {
  const wt = pick(next, [0, 1, 2, 3, 5]);
  switch (wt) {
    case 0:
      return [...tag(field, 0), ...varint(BigInt(int(next, 2 ** 31)) << BigInt(int(next, 40)))];
    case 1:
      return [...tag(field, 1), ...Array.from({ length: 8 }, () => int(next, 256))];
    case 2:
      return lengthDelimited(field, next() < 0.5 ? stringPayload(next) : asciiRun(next, 30));
    case 3: {
      const inner = depth < 3 && next() < 0.7 ? anyField(next, 1 + int(next, 20), depth + 1) : [];
      return [...tag(field, 3), ...inner, ...tag(field, 4)];
    }
    default:
      return [...tag(field, 5), ...Array.from({ length: 4 }, () => int(next, 256))];
  }
}

function nestedGroups(field: number, depth: number): number[] {
  const open: number[] = [];
  const close: number[] = [];
  for (let i = 0; i < depth; i++) {
    open.push(...tag(field, 3));
    close.unshift(...tag(field, 4));
  }
  return [...open, ...tag(1, 0), 1, ...close];
}

/** A tag or length varint padded with redundant continuation bytes (1–5 bytes long, possibly invalid). */
function paddedVarint(next: Next, value: number): number[] {
  const bytes = varint(value);
  const pad = int(next, 4);
  if (pad === 0) return bytes;
  bytes[bytes.length - 1]! |= 0x80;
  for (let i = 1; i < pad; i++) bytes.push(0x80);
  bytes.push(0);
  return bytes;
}

/** Mutations on the chunk list: each returns the chunks with one structural change. */
export const CHUNK_MUTATIONS: Record<string, (next: Next, chunks: number[][]) => number[][]> = {
  'bad or non-ASCII UTF-8 in a string field': (next, chunks) =>
    insertAt(next, chunks, lengthDelimited(pick(next, STRING_FIELDS)[1], stringPayload(next))),
  'known field with a wrong wire type': (next, chunks) => {
    const field = 1 + int(next, 10);
    let chunk = anyField(next, field);
    if (field !== 3 && (chunk[0]! & 7) === 2) chunk = [...tag(field, 0), 7];
    return insertAt(next, chunks, chunk);
  },
  'unknown field': (next, chunks) =>
    insertAt(next, chunks, anyField(next, pick(next, [11, 15, 16, 100, 2047, 2048, 2 ** 29 - 1]))),
  'deep group nesting': (next, chunks) => insertAt(next, chunks, nestedGroups(200, 98 + int(next, 6))),
  'invalid wire type or end group': (next, chunks) =>
    insertAt(next, chunks, [...tag(1 + int(next, 12), pick(next, [4, 6, 7])), 0, 0, 0, 0, 0, 0, 0, 0]),
  'field number 0': (next, chunks) => insertAt(next, chunks, [pick(next, [0x00, 0x02, 0x03, 0x05]), 1, 1]),
  'over-long tag or length varint': (next, chunks) => {
    const field = 1 + int(next, 10);
    const payload = asciiRun(next, 8);
    return insertAt(next, chunks, [
      ...paddedVarint(next, field * 8 + 2),
      ...paddedVarint(next, payload.length),
      ...payload,
    ]);
  },
  'over-long timestamp varint': (next, chunks) =>
    insertAt(next, chunks, [...tag(3, 0), ...Array.from({ length: 9 + int(next, 3) }, () => 0xff), 0x01]),
  'mismatched group end': (next, chunks) => insertAt(next, chunks, [...tag(300, 3), ...tag(301, 4)]),
  'repeated field (last wins)': (next, chunks) => [...chunks, ...(chunks.length ? [pick(next, chunks)] : [])],
};

function insertAt(next: Next, chunks: number[][], chunk: number[]): number[][] {
  const at = int(next, chunks.length + 1);
  return [...chunks.slice(0, at), chunk, ...chunks.slice(at)];
}

/** Byte-level mutations on the encoded message. */
export const BYTE_MUTATIONS: Record<string, (next: Next, bytes: Uint8Array) => Uint8Array> = {
  'bit flip': (next, bytes) => {
    const out = bytes.slice();
    if (out.length) out[int(next, out.length)]! ^= 1 << int(next, 8);
    return out;
  },
  'random byte': (next, bytes) => {
    const out = bytes.slice();
    if (out.length) out[int(next, out.length)] = int(next, 256);
    return out;
  },
  truncation: (next, bytes) => bytes.slice(0, int(next, bytes.length + 1)),
  'inserted bytes': (next, bytes) => {
    const at = int(next, bytes.length + 1);
    const extra = Array.from({ length: 1 + int(next, 4) }, () => int(next, 256));
    return concat([bytes.subarray(0, at), extra, bytes.subarray(at)]);
  },
  'trailing garbage': (next, bytes) =>
    concat([bytes, Array.from({ length: 1 + int(next, 3) }, () => int(next, 256))]),
};
