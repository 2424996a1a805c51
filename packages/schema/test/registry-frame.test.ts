import { describe, expect, it } from 'vitest';
import { SchemaErrorCodes } from '../src/errors.js';
import { decodeRegistryFrame, encodeRegistryFrame } from '../src/registry-frame.js';

const payload = new Uint8Array([0x0a, 0x01, 0x75]);

describe('schema-registry wire format', () => {
  it('writes magic byte 0, big-endian schema id and [0] as a single 0 byte', () => {
    const frame = encodeRegistryFrame(0x01020304, payload);
    expect([...frame]).toEqual([0, 1, 2, 3, 4, 0, 0x0a, 0x01, 0x75]);
  });

  it('writes other message-index arrays as zig-zag varints (count, then indexes)', () => {
    expect([...encodeRegistryFrame(1, payload, [1]).subarray(5, 7)]).toEqual([2, 2]);
    expect([...encodeRegistryFrame(1, payload, [0, 1]).subarray(5, 8)]).toEqual([4, 0, 2]);
    expect([...encodeRegistryFrame(1, payload, [64]).subarray(5, 8)]).toEqual([2, 0x80, 0x01]);
  });

  it.each([[[0]], [[1]], [[0, 1]], [[3, 70, 200]]])('round-trips message indexes %j', (indexes) => {
    const decoded = decodeRegistryFrame(encodeRegistryFrame(2_147_483_647, payload, indexes));
    expect(decoded.schemaId).toBe(2_147_483_647);
    expect(decoded.messageIndexes).toEqual(indexes);
    expect([...decoded.payload]).toEqual([...payload]);
  });

  it('round-trips an empty payload', () => {
    const decoded = decodeRegistryFrame(encodeRegistryFrame(7, new Uint8Array()));
    expect(decoded).toEqual({ schemaId: 7, messageIndexes: [0], payload: new Uint8Array() });
  });

  it('rejects a bad magic byte', () => {
    const frame = encodeRegistryFrame(1, payload);
    frame[0] = 1;
    expect(() => decodeRegistryFrame(frame)).toThrow(
      expect.objectContaining({
        code: SchemaErrorCodes.INVALID_FRAME,
        message: expect.stringContaining('magic byte'),
      }),
    );
  });

  it('rejects truncated frames', () => {
    const frame = encodeRegistryFrame(1, payload, [1, 300]);
    for (const len of [0, 3, 5, 6, 7, 8]) {
      expect(() => decodeRegistryFrame(frame.subarray(0, len))).toThrow(
        expect.objectContaining({
          code: SchemaErrorCodes.INVALID_FRAME,
          message: expect.stringContaining('truncated'),
        }),
      );
    }
  });

  it('rejects negative counts and indexes', () => {
    expect(() => decodeRegistryFrame(new Uint8Array([0, 0, 0, 0, 1, 1]))).toThrow(
      /invalid message index count/,
    );
    expect(() => decodeRegistryFrame(new Uint8Array([0, 0, 0, 0, 1, 2, 1]))).toThrow(
      /negative message index/,
    );
  });

  it('rejects invalid arguments when encoding', () => {
    expect(() => encodeRegistryFrame(-1, payload)).toThrow(/schemaId must be an integer/);
    expect(() => encodeRegistryFrame(2 ** 31, payload)).toThrow(/schemaId/);
    expect(() => encodeRegistryFrame(1, payload, [])).toThrow(/messageIndexes/);
    expect(() => encodeRegistryFrame(1, payload, [-1])).toThrow(/messageIndexes/);
    expect(() => encodeRegistryFrame(1, 'x' as unknown as Uint8Array)).toThrow(/payload/);
  });
});
