import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { lz4BlockFrame } from '../../src/lz4/lz4-block-frame.js';
import { createLz4Codec } from '../../src/lz4/lz4-codec.js';

const lz4 = createRequire(import.meta.url)('lz4-napi') as {
  compress(data: Uint8Array): Promise<Buffer>;
  decompressFrameSync(data: Buffer): Buffer;
};
const jsCodec = createLz4Codec('js');

function compressible(size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = 97 + ((i * 7) % 13);
  return b;
}

function random(size: number, seed = 1): Buffer {
  const b = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

describe('lz4BlockFrame', () => {
  it.each([
    ['empty', Buffer.alloc(0)],
    ['small', compressible(100)],
    ['one full block', compressible(64 * 1024)],
    ['several blocks', compressible(200_000)],
    ['incompressible (stored blocks)', random(70_000)],
    ['mixed blocks', Buffer.concat([random(65_536, 7), compressible(65_536), random(10, 3)])],
  ])('writes a frame that LZ4 frame readers decode to the input: %s', async (_name, data) => {
    const frame = await lz4BlockFrame(data, lz4);
    expect(frame.readUInt32LE(0)).toBe(0x184d2204);
    expect(lz4.decompressFrameSync(frame).equals(data)).toBe(true);
    expect((await jsCodec.decompress(frame)).equals(data)).toBe(true);
  });

  it('compresses compressible input and stores incompressible input at its size plus framing', async () => {
    expect((await lz4BlockFrame(compressible(100_000), lz4)).length).toBeLessThan(10_000);
    const raw = random(70_000);
    // header 7 + two block sizes 8 + end mark 4
    expect((await lz4BlockFrame(raw, lz4)).length).toBe(raw.length + 19);
  });
});

describe('createLz4Codec compressing with lz4BlockFrame', () => {
  it('is native when lz4-napi loads and round-trips through its own decompress', async () => {
    const codec = createLz4Codec();
    expect(codec.implementation).toBe('native');
    const data = compressible(150_000);
    const frame = await codec.compress({ buffer: data });
    expect((await codec.decompress(frame)).equals(data)).toBe(true);
  });

  it('falls back to the pure-JS codec when asked for js', async () => {
    const codec = createLz4Codec('js');
    expect(codec.implementation).toBe('js');
    const data = compressible(1000);
    expect((await codec.decompress(await codec.compress({ buffer: data }))).equals(data)).toBe(true);
  });
});
