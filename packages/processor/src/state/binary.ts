/**
 * Big-endian binary values for records and changelog entries: a writer into a buffer sized up front, and a
 * bounds-checked reader that reports malformed input through the caller's error (never a RangeError of its own).
 *
 * Layout conventions: `u8`, `u32`, `f64` (IEEE 754, so ±∞ and integers below 2^53 are exact), strings as
 * `u32 byteLength | UTF-8`, and a trailing byte string as "the rest of the value".
 */

/** Bytes of a length-prefixed UTF-8 string. */
export function utf8Size(s: string): number {
  return 4 + Buffer.byteLength(s, 'utf8');
}

export class ByteWriter {
  readonly buffer: Buffer;
  #at = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  u8(v: number): this {
    this.#at = this.buffer.writeUInt8(v, this.#at);
    return this;
  }

  u32(v: number): this {
    this.#at = this.buffer.writeUInt32BE(v, this.#at);
    return this;
  }

  f64(v: number): this {
    this.#at = this.buffer.writeDoubleBE(v, this.#at);
    return this;
  }

  /** `u32 byteLength | UTF-8`. */
  utf8(s: string): this {
    const n = this.buffer.write(s, this.#at + 4, 'utf8');
    this.buffer.writeUInt32BE(n, this.#at);
    this.#at += 4 + n;
    return this;
  }

  /** `u32 byteLength | bytes`. */
  blob(b: Uint8Array): this {
    return this.u32(b.length).bytes(b);
  }

  /** Raw bytes, no length (a trailing field, or one whose length was written before). */
  bytes(b: Uint8Array): this {
    this.buffer.set(b, this.#at);
    this.#at += b.length;
    return this;
  }

  /** The buffer, checked to be filled exactly. */
  done(): Buffer {
    if (this.#at !== this.buffer.length) {
      throw new Error(`binary value: wrote ${this.#at} of ${this.buffer.length} bytes`);
    }
    return this.buffer;
  }
}

export class ByteReader {
  readonly #b: Buffer;
  readonly #fail: (reason: string) => Error;
  #at: number;

  /** `fail` builds the error thrown for malformed input (a coded error of the caller). */
  constructor(bytes: Buffer, fail: (reason: string) => Error, start = 0) {
    this.#b = bytes;
    this.#fail = fail;
    this.#at = start;
  }

  #take(n: number, what: string): number {
    const at = this.#at;
    if (n > this.#b.length - at) throw this.#fail(`truncated ${what} at byte ${at}`);
    this.#at = at + n;
    return at;
  }

  u8(what: string): number {
    return this.#b.readUInt8(this.#take(1, what));
  }

  u32(what: string): number {
    return this.#b.readUInt32BE(this.#take(4, what));
  }

  f64(what: string): number {
    return this.#b.readDoubleBE(this.#take(8, what));
  }

  /** A safe integer stored as f64. */
  int(what: string): number {
    const v = this.f64(what);
    if (!Number.isSafeInteger(v)) throw this.#fail(`${what} must be an integer, got ${v}`);
    return v;
  }

  /** `u32 byteLength | UTF-8`. */
  utf8(what: string): string {
    const n = this.u32(what);
    const at = this.#take(n, what);
    return this.#b.toString('utf8', at, at + n);
  }

  /** `u32 byteLength | bytes`, copied. */
  blob(what: string): Buffer {
    const n = this.u32(what);
    const at = this.#take(n, what);
    return Buffer.from(this.#b.subarray(at, at + n));
  }

  /** The remaining bytes, copied (a value kept in state must not pin the record batch it was read from). */
  rest(): Buffer {
    const at = this.#at;
    this.#at = this.#b.length;
    return Buffer.from(this.#b.subarray(at));
  }

  /** Throws when bytes are left over. */
  end(): void {
    if (this.#at !== this.#b.length) throw this.#fail(`${this.#b.length - this.#at} trailing bytes`);
  }
}
