import { describe, expect, it } from 'vitest';
import { PARTS_FORMAT_VERSION, partsCodec, upstreamsOf, type Parts } from '../../src/engine/merge-parts.js';
import { partsToV1 } from './format-1.js';

describe('merge parts changelog value', () => {
  const parts: Parts = new Map([
    [3, Buffer.from([9, 9])],
    [0, Buffer.from([1, 2, 3])],
    [12, Buffer.alloc(0)],
  ]);

  it('writes format 2 with upstreams ascending and reads it back', () => {
    const bytes = partsCodec.encode(parts);
    expect(bytes[0]).toBe(PARTS_FORMAT_VERSION);
    expect(bytes).toHaveLength(5 + 3 * 8 + 5);
    const back = partsCodec.decode(bytes);
    expect(back).toEqual(parts);
    expect([...back.keys()]).toEqual([0, 3, 12]);
    expect(upstreamsOf(parts)).toEqual([0, 3, 12]);
    expect(partsCodec.decode(partsCodec.encode(new Map()))).toEqual(new Map());
  });

  it('reads format 1 (JSON upstream → base64) as the previous version wrote it', () => {
    const v1 = '{"0":"QAAAAAAAAAA/8AAAAAAAAA==","3":"QAAAAAAAAAA/8AAAAAAAAA=="}';
    const counts = Buffer.from('40000000000000003ff0000000000000', 'hex');
    expect(partsCodec.decode(Buffer.from(v1))).toEqual(
      new Map([
        [0, counts],
        [3, counts],
      ]),
    );
    expect(partsCodec.decode(partsToV1(partsCodec.encode(parts)))).toEqual(parts);
  });

  it('throws on malformed values of either format', () => {
    const bytes = partsCodec.encode(parts);
    expect(() => partsCodec.decode(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/);
    expect(() => partsCodec.decode(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(/trailing/);
    expect(() => partsCodec.decode(Buffer.from('[]'))).toThrow(/not a format-1 object/);
    expect(() => partsCodec.decode(Buffer.from('{"01":"AA=="}'))).toThrow(/bad format-1 part/);
    expect(() => partsCodec.decode(Buffer.from('{"1":2}'))).toThrow(/bad format-1 part/);
  });
});
