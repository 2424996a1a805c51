import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { SchemaErrorCodes } from '../src/errors.js';
import { MAX_GROUP_DEPTH, WireCursor, readInt64, readVarint32, skipField } from '../src/wire-cursor.js';

/** What protobufjs' Reader does with the same bytes: the value / end position, or 'error'. */
function viaReader(bytes: number[], read: (r: protobuf.Reader) => unknown): unknown {
  const r = protobuf.Reader.create(Uint8Array.from(bytes));
  try {
    const value = read(r);
    return { value, pos: r.pos };
  } catch {
    return 'error';
  }
}

function viaCursor(bytes: number[], read: (c: WireCursor) => unknown): unknown {
  const c = new WireCursor(Uint8Array.from(bytes), bytes.length);
  try {
    const value = read(c);
    return { value, pos: c.pos };
  } catch (err) {
    expect(err).toMatchObject({ code: SchemaErrorCodes.DECODE_FAILED });
    return 'error';
  }
}

function groups(depth: number): number[] {
  // field 1 groups nested `depth` deep around a varint; the outer tag is consumed by the caller
  const inner = [0x08, 0x01];
  let body = inner;
  for (let i = 1; i < depth; i++) body = [0x0b, ...body, 0x0c];
  return [...body, 0x0c];
}

describe('wire cursor', () => {
  it('reads tags and lengths like Reader#tag and Reader#size', () => {
    for (const bytes of [
      [0x08],
      [0x80, 0x01],
      [0xff, 0xff, 0xff, 0xff, 0x0f],
      [0xff, 0xff, 0xff, 0xff, 0x1f],
      [0xff, 0xff, 0xff, 0xff, 0x07],
      [0xff, 0xff, 0xff, 0xff, 0x08],
      [0x80, 0x80, 0x80],
      [],
    ]) {
      expect(viaCursor(bytes, (c) => readVarint32(c, false))).toEqual(viaReader(bytes, (r) => r.tag()));
      expect(viaCursor(bytes, (c) => readVarint32(c, true))).toEqual(
        viaReader(bytes, (r) => (r as unknown as { size(): number }).size()),
      );
    }
  });

  it('reads int64 like Reader#int64 (Long → number), 10 bytes at most', () => {
    for (const bytes of [
      [0x01],
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
      [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
      [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
      [0xff, 0xff],
    ]) {
      expect(viaCursor(bytes, readInt64)).toEqual(
        viaReader(bytes, (r) => {
          const v = r.int64() as unknown as number | { toNumber(): number };
          return typeof v === 'number' ? v : v.toNumber();
        }),
      );
    }
  });

  it(`skips groups nested up to ${MAX_GROUP_DEPTH} deep and rejects deeper ones, like Reader#skipType`, () => {
    for (const depth of [1, 50, MAX_GROUP_DEPTH, MAX_GROUP_DEPTH + 1, MAX_GROUP_DEPTH + 2]) {
      const bytes = groups(depth);
      expect(viaCursor(bytes, (c) => skipField(c, 3, 1))).toEqual(
        viaReader(bytes, (r) => r.skipType(3, 0, 1) && undefined),
      );
    }
    expect(viaCursor(groups(MAX_GROUP_DEPTH + 2), (c) => skipField(c, 3, 1))).toBe('error');
    expect(viaCursor(groups(MAX_GROUP_DEPTH), (c) => skipField(c, 3, 1))).not.toBe('error');
  });

  it('skips fixed and length-delimited values with the same bounds checks as Reader#skipType', () => {
    for (const [wireType, bytes] of [
      [1, [1, 2, 3, 4, 5, 6, 7, 8]],
      [1, [1, 2, 3, 4, 5, 6, 7]],
      [5, [1, 2, 3, 4]],
      [5, [1, 2, 3]],
      [2, [0x03, 0x61, 0x62, 0x63]],
      [2, [0x04, 0x61, 0x62, 0x63]],
      [0, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]],
      [6, [0x00]],
    ] as const) {
      expect(viaCursor([...bytes], (c) => skipField(c, wireType, 1))).toEqual(
        viaReader([...bytes], (r) => r.skipType(wireType, 0, 1) && undefined),
      );
    }
  });
});
