/**
 * A small pure-JS LZ4 frame codec, the fallback when the native `lz4-napi` cannot be loaded.
 * - decompress: full LZ4 frame format (independent or linked blocks, optional checksums/content size/dict id
 *   fields skipped, checksums not verified).
 * - compress: a valid LZ4 frame whose blocks are stored uncompressed (the format allows it): every reader accepts
 *   it, but it saves no bytes. Use the native codec for real compression.
 */
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

/** An LZ4 frame with uncompressed blocks (FLG: version 1, independent blocks; BD: 64 KiB blocks). */
export function lz4FrameStore(data: Uint8Array): Buffer {
  const blocks = Math.ceil(data.length / BLOCK_SIZE);
  const out = Buffer.alloc(7 + blocks * 4 + data.length + 4);
  out.writeUInt32LE(MAGIC, 0);
  out[4] = 0x60;
  out[5] = 0x40;
  out[6] = (xxhash32(out.subarray(4, 6)) >>> 8) & 0xff;
  let o = 7;
  for (let i = 0; i < data.length; i += BLOCK_SIZE) {
    const chunk = data.subarray(i, Math.min(i + BLOCK_SIZE, data.length));
    out.writeUInt32LE((chunk.length | 0x80000000) >>> 0, o);
    out.set(chunk, o + 4);
    o += 4 + chunk.length;
  }
  out.writeUInt32LE(0, o);
  return out;
}

class Output {
  buf: Uint8Array;
  len = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(Math.max(size, 64));
  }
  ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}

function decodeBlock(src: Uint8Array, start: number, end: number, out: Output): void {
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
    out.ensure(lit);
    out.buf.set(src.subarray(ip, ip + lit), out.len);
    out.len += lit;
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
    matchLen += 4;
    out.ensure(matchLen);
    const buf = out.buf;
    let from = out.len - offset;
    for (let k = 0; k < matchLen; k++) buf[out.len++] = buf[from++]!;
  }
}

/** Decompresses a (sequence of) LZ4 frame(s). */
export function lz4FrameDecompress(frame: Uint8Array): Buffer {
  const out = new Output(frame.length * 4);
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
    p += 6 + (contentSize ? 8 : 0) + (dictId ? 4 : 0) + 1;
    for (;;) {
      if (p + 4 > frame.length) throw new Error('lz4: truncated frame');
      const size = readU32(frame, p);
      p += 4;
      if (size === 0) break;
      const len = size & 0x7fffffff;
      if (p + len > frame.length) throw new Error('lz4: truncated block');
      if ((size & 0x80000000) !== 0) {
        out.ensure(len);
        out.buf.set(frame.subarray(p, p + len), out.len);
        out.len += len;
      } else {
        decodeBlock(frame, p, p + len, out);
      }
      p += len + (blockChecksum ? 4 : 0);
    }
    if (contentChecksum) p += 4;
  }
  return Buffer.from(out.buf.buffer, out.buf.byteOffset, out.len);
}
