import { describe, expect, it } from 'vitest';
import { createLz4Codec } from '../../src/kafka-lz4/lz4-codec.js';

const data = Buffer.from('/products/42 CLICK desktop DE '.repeat(5000));

describe('createLz4Codec', () => {
  it('uses lz4-napi when it loads, and the pure-JS codec on request', () => {
    expect(createLz4Codec().implementation).toBe('native');
    expect(createLz4Codec('native').implementation).toBe('native');
    expect(createLz4Codec('js').implementation).toBe('js');
  });

  it('round-trips through each implementation', async () => {
    for (const codec of [createLz4Codec('native'), createLz4Codec('js')]) {
      const frame = await codec.compress({ buffer: data });
      expect(Buffer.compare(await codec.decompress(frame), data)).toBe(0);
    }
  });

  it('reads frames written by the other implementation', async () => {
    const native = createLz4Codec('native');
    const js = createLz4Codec('js');
    const compressed = await native.compress({ buffer: data });
    expect(compressed.length).toBeLessThan(data.length / 10);
    expect(Buffer.compare(await js.decompress(compressed), data)).toBe(0);
    const stored = await js.compress({ buffer: data });
    expect(Buffer.compare(await native.decompress(stored), data)).toBe(0);
  });
});
