import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { xxhash32 } from '../../src/lz4/lz4-frame.js';

/**
 * Decompression bombs for the cap tests, built without ever holding the expanded bytes: `zeros` bytes of zeros as
 * gzip (~1/1000 of the size) or as an LZ4 frame (~1/255).
 */

/** `zeros` zero bytes through a gzip stream, 1 MiB at a time. */
export async function gzipBomb(zeros: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const chunk = Buffer.alloc(1024 * 1024);
  for (let left = zeros; left > 0; left -= chunk.length) {
    if (!gzip.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await once(gzip, 'drain');
  }
  gzip.end();
  await once(gzip, 'end');
  return Buffer.concat(chunks);
}

const LZ4_BLOCK = 4 * 1024 * 1024;

/**
 * An LZ4 frame of `zeros` zero bytes (a multiple of 4 MiB) in 4 MiB blocks (BD 0x70), each one literal zero, one
 * match of offset 1 over all but the last 5 bytes (a run of 255s in its length) and 5 literal zeros, as the LZ4
 * block format wants a block to end. `declaredSize` writes the frame's optional content size field (which may lie).
 */
export function lz4Bomb(zeros: number, declaredSize?: number): Buffer {
  if (zeros % LZ4_BLOCK !== 0) throw new Error('lz4Bomb: a multiple of 4 MiB');
  const matchExtra = LZ4_BLOCK - 1 - 5 - 4 - 15;
  const extension = [...Array<number>(Math.floor(matchExtra / 255)).fill(255), matchExtra % 255];
  const block = Buffer.from([0x1f, 0x00, 0x01, 0x00, ...extension, 0x50, 0, 0, 0, 0, 0]);
  const header = declaredSize === undefined ? Buffer.from([0x60, 0x70]) : Buffer.alloc(10);
  if (declaredSize !== undefined) {
    header[0] = 0x68; // version 01, independent blocks, content size present
    header[1] = 0x70;
    header.writeBigUInt64LE(BigInt(declaredSize), 2);
  }
  const parts: Buffer[] = [Buffer.from([0x04, 0x22, 0x4d, 0x18]), header];
  parts.push(Buffer.from([(xxhash32(header) >>> 8) & 0xff]));
  const size = Buffer.alloc(4);
  size.writeUInt32LE(block.length);
  for (let i = 0; i < zeros / LZ4_BLOCK; i++) parts.push(size, block);
  parts.push(Buffer.alloc(4));
  return Buffer.concat(parts);
}
