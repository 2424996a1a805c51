/**
 * A small pure-JS LZ4 frame codec, the fallback when the native `lz4-napi` cannot be loaded.
 * - decompress: full LZ4 frame format (independent or linked blocks, optional checksums and dict id fields
 *   skipped, checksums not verified), with a cap on the output (`maxDecompressedBytes`): a declared content size
 *   beyond it, or output passing it, throws `TRIB_KAFKA_BATCH_TOO_LARGE` before more than the cap is allocated.
 * - size: the decompressed size without decompressing or allocating (the native codec's guard against
 *   decompression bombs).
 * - compress: a valid LZ4 frame whose blocks are stored uncompressed (the format allows it): every reader accepts
 *   it, but it saves no bytes. Use the native codec for real compression.
 */
import { batchTooLargeError, DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES } from '../kafkajs/decompression-cap.js';

const MAGIC = 0x184d2204;
const BLOCK_SIZE = 64 * 1024;
const P1 = 2654435761;
const P2 = 2246822519;
const P3 = 3266489917;
const P4 = 668265263;
const P5 = 374761393;

function rotl(x: number, r: number): number {
  return ((x << r) | (x >>> (32 - r))) >>> 0;
}

function readU32(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}

function round(acc: number, lane: number): number {
  return Math.imul(rotl((acc + Math.imul(lane, P2)) >>> 0, 13), P1) >>> 0;
}

/** xxHash32 of `data` with `seed`, as LZ4 frame descriptors use it. */
export function xxhash32(data: Uint8Array, seed = 0): number {
  const len = data.length;
  let i = 0;
  let h: number;
  if (len >= 16) {
    let v1 = (seed + P1 + P2) >>> 0;
    let v2 = (seed + P2) >>> 0;
    let v3 = seed >>> 0;
    let v4 = (seed - P1) >>> 0;
    for (; i + 16 <= len; i += 16) {
      v1 = round(v1, readU32(data, i));
      v2 = round(v2, readU32(data, i + 4));
      v3 = round(v3, readU32(data, i + 8));
      v4 = round(v4, readU32(data, i + 12));
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) >>> 0;
  } else {
    h = (seed + P5) >>> 0;
  }
  h = (h + len) >>> 0;
  for (; i + 4 <= len; i += 4) h = Math.imul(rotl((h + Math.imul(readU32(data, i), P3)) >>> 0, 17), P4) >>> 0;
  for (; i < len; i++) h = Math.imul(rotl((h + Math.imul(data[i]!, P5)) >>> 0, 11), P1) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, P2) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, P3) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** The frame descriptor this package writes: FLG version 01, independent blocks, no checksums or content size. */
const FLG = 0x60;
/** BD: 64 KiB maximum block size. */
const BD = 0x40;
/** A block stored uncompressed: the high bit of its size field. */
const UNCOMPRESSED = 0x80000000;

/** One block of a frame: its bytes, and whether they are LZ4-compressed or stored as they are. */
export interface Lz4FrameBlock {
  bytes: Uint8Array;
  compressed: boolean;
}

/**
 * The one LZ4 frame writer: header (FLG, BD, header checksum), each block with its size field (the high bit set for
 * a stored block), end mark. Blocks hold at most 64 KiB of input each.
 */
export function lz4Frame(blocks: readonly Lz4FrameBlock[]): Buffer {
  let size = 7 + 4;
  for (const block of blocks) size += 4 + block.bytes.length;
  const out = Buffer.allocUnsafe(size);
  out.writeUInt32LE(MAGIC, 0);
  out[4] = FLG;
  out[5] = BD;
  out[6] = (xxhash32(out.subarray(4, 6)) >>> 8) & 0xff;
  let o = 7;
  for (const { bytes, compressed } of blocks) {
    out.writeUInt32LE(compressed ? bytes.length : (bytes.length | UNCOMPRESSED) >>> 0, o);
    out.set(bytes, o + 4);
    o += 4 + bytes.length;
  }
  out.writeUInt32LE(0, o);
  return out;
}

/** `data` cut into the 64 KiB blocks of a frame. */
export function lz4FrameChunks(data: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < data.length; i += BLOCK_SIZE)
    chunks.push(data.subarray(i, Math.min(i + BLOCK_SIZE, data.length)));
  return chunks;
}

/** An LZ4 frame with uncompressed blocks (every reader accepts it; it saves no bytes). */
export function lz4FrameStore(data: Uint8Array): Buffer {
  return lz4Frame(lz4FrameChunks(data).map((bytes) => ({ bytes, compressed: false })));
}

/**
 * Where the decoded bytes go: `Output` keeps them (decompress), `Counter` only counts them (the size scan). Both
 * throw `TRIB_KAFKA_BATCH_TOO_LARGE` before the length would pass the cap.
 */
interface Sink {
  len: number;
  /** A frame declares its content size: `TRIB_KAFKA_BATCH_TOO_LARGE` already when it is beyond the cap. */
  declare(size: number): void;
  literals(src: Uint8Array, start: number, end: number): void;
  match(offset: number, length: number): void;
}

function tooLarge(frame: Uint8Array, max: number): Error {
  return batchTooLargeError({ codec: 'lz4', compressedBytes: frame.length, maxDecompressedBytes: max });
}

class Output implements Sink {
  buf: Uint8Array;
  len = 0;
  readonly #frame: Uint8Array;
  readonly #max: number;
  constructor(frame: Uint8Array, max: number) {
    this.#frame = frame;
    this.#max = max;
    this.buf = new Uint8Array(Math.min(Math.max(frame.length * 4, 64), max));
  }
  declare(size: number): void {
    if (size > this.#max - this.len) throw tooLarge(this.#frame, this.#max);
  }
  ensure(extra: number): void {
    const needed = this.len + extra;
    if (needed <= this.buf.length) return;
    if (needed > this.#max) throw tooLarge(this.#frame, this.#max);
    let size = this.buf.length * 2;
    while (size < needed) size *= 2;
    const next = new Uint8Array(Math.min(size, this.#max));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  literals(src: Uint8Array, start: number, end: number): void {
    this.ensure(end - start);
    this.buf.set(src.subarray(start, end), this.len);
    this.len += end - start;
  }
  match(offset: number, length: number): void {
    this.ensure(length);
    const buf = this.buf;
    let from = this.len - offset;
    for (let k = 0; k < length; k++) buf[this.len++] = buf[from++]!;
  }
}

class Counter implements Sink {
  len = 0;
  readonly #frame: Uint8Array;
  readonly #max: number;
  constructor(frame: Uint8Array, max: number) {
    this.#frame = frame;
    this.#max = max;
  }
  declare(size: number): void {
    if (size > this.#max - this.len) throw tooLarge(this.#frame, this.#max);
  }
  literals(_src: Uint8Array, start: number, end: number): void {
    this.#add(end - start);
  }
  match(_offset: number, length: number): void {
    this.#add(length);
  }
  #add(length: number): void {
    if (length > this.#max - this.len) throw tooLarge(this.#frame, this.#max);
    this.len += length;
  }
}

function decodeBlock(src: Uint8Array, start: number, end: number, out: Sink): void {
  let ip = start;
  while (ip < end) {
    const token = src[ip++]!;
    let lit = token >>> 4;
    if (lit === 15) {
      let b: number;
      do {
        b = src[ip++]!;
        lit += b;
      } while (b === 255 && ip < end);
    }
    if (ip + lit > end) throw new Error('lz4: literal run past end of block');
    out.literals(src, ip, ip + lit);
    ip += lit;
    if (ip >= end) break;
    const offset = src[ip]! | (src[ip + 1]! << 8);
    ip += 2;
    if (offset === 0 || offset > out.len) throw new Error('lz4: invalid match offset');
    let matchLen = token & 15;
    if (matchLen === 15) {
      let b: number;
      do {
        b = src[ip++]!;
        matchLen += b;
      } while (b === 255 && ip < end);
    }
    out.match(offset, matchLen + 4);
  }
}

/** Reads a (sequence of) LZ4 frame(s) into `out`. */
function readFrames(frame: Uint8Array, out: Sink): void {
  let p = 0;
  while (p < frame.length) {
    if (frame.length - p < 7 || readU32(frame, p) !== MAGIC)
      throw new Error('lz4: not an LZ4 frame (bad magic)');
    const flg = frame[p + 4]!;
    if (flg >>> 6 !== 1) throw new Error('lz4: unsupported frame version');
    const blockChecksum = (flg & 0x10) !== 0;
    const contentSize = (flg & 0x08) !== 0;
    const contentChecksum = (flg & 0x04) !== 0;
    const dictId = (flg & 0x01) !== 0;
    if (contentSize && p + 14 <= frame.length)
      out.declare(readU32(frame, p + 6) + readU32(frame, p + 10) * 2 ** 32);
    p += 6 + (contentSize ? 8 : 0) + (dictId ? 4 : 0) + 1;
    for (;;) {
      if (p + 4 > frame.length) throw new Error('lz4: truncated frame');
      const size = readU32(frame, p);
      p += 4;
      if (size === 0) break;
      const len = size & 0x7fffffff;
      if (p + len > frame.length) throw new Error('lz4: truncated block');
      if ((size & 0x80000000) !== 0) out.literals(frame, p, p + len);
      else decodeBlock(frame, p, p + len, out);
      p += len + (blockChecksum ? 4 : 0);
    }
    if (contentChecksum) p += 4;
  }
}

/**
 * Decompresses a (sequence of) LZ4 frame(s); beyond `maxDecompressedBytes` (a frame declaring a larger content
 * size, or the output passing it) throws `TRIB_KAFKA_BATCH_TOO_LARGE` without allocating more than that.
 */
export function lz4FrameDecompress(
  frame: Uint8Array,
  maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES,
): Buffer {
  const out = new Output(frame, maxDecompressedBytes);
  readFrames(frame, out);
  return Buffer.from(out.buf.buffer, out.buf.byteOffset, out.len);
}

/**
 * The decompressed size of a (sequence of) LZ4 frame(s), by reading the sequences' lengths without producing the
 * bytes (no allocation); the same checks and errors as `lz4FrameDecompress`, `TRIB_KAFKA_BATCH_TOO_LARGE` included.
 */
export function lz4FrameDecompressedSize(
  frame: Uint8Array,
  maxDecompressedBytes = DEFAULT_MAX_DECOMPRESSED_BATCH_BYTES,
): number {
  const counter = new Counter(frame, maxDecompressedBytes);
  readFrames(frame, counter);
  return counter.len;
}
