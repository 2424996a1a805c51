import { stringAt } from './utf8-range.js';

/**
 * Strings decoded from byte ranges that repeat across messages (page URLs: a few thousand values over millions of
 * events), handed out from a small direct-mapped table keyed by the bytes (internal). A hit compares the bytes and
 * returns the string decoded before — the same value `stringAt` gives, without a new string (and with its hash
 * already computed for the caller's Map lookups); a miss decodes with `stringAt` (UTF-8 checked, errors as there) and
 * keeps a copy of the bytes. Bounded: `SLOTS` entries of at most `MAX_BYTES` bytes.
 */
export class InternedStrings {
  static readonly SLOTS = 4096;
  static readonly MAX_BYTES = 128;
  readonly #keys = new Array<Uint8Array | undefined>(InternedStrings.SLOTS);
  readonly #values = new Array<string>(InternedStrings.SLOTS);

  stringAt(buf: Uint8Array, start: number, end: number): string {
    const length = end - start;
    if (length > InternedStrings.MAX_BYTES) return stringAt(buf, start, end);
    let hash = length;
    for (let i = start; i < end; i++) hash = Math.imul(hash ^ buf[i]!, 0x01000193);
    const slot = (hash ^ (hash >>> 15)) & (InternedStrings.SLOTS - 1);
    const key = this.#keys[slot];
    if (key !== undefined && key.length === length && sameBytes(key, buf, start)) return this.#values[slot]!;
    const value = stringAt(buf, start, end);
    this.#keys[slot] = buf.slice(start, end);
    this.#values[slot] = value;
    return value;
  }
}

function sameBytes(key: Uint8Array, buf: Uint8Array, start: number): boolean {
  for (let i = 0; i < key.length; i++) if (key[i] !== buf[start + i]) return false;
  return true;
}
