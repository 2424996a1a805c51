import { describe, expect, it } from 'vitest';
import { SchemaErrorCodes } from '../src/errors.js';
import { checkUtf8, stringAt } from '../src/utf8-range.js';

/** The reference: protobufjs' strict string read is a fatal TextDecoder that keeps a BOM. */
const reference = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function referenceOutcome(bytes: Uint8Array): string | undefined {
  try {
    return reference.decode(bytes);
  } catch {
    return undefined;
  }
}

function check(bytes: Uint8Array): boolean | 'wrong error' {
  try {
    checkUtf8(bytes, 0, bytes.length);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === SchemaErrorCodes.DECODE_FAILED ? false : 'wrong error';
  }
}

function decode(bytes: Uint8Array): string | undefined {
  try {
    return stringAt(bytes, 0, bytes.length);
  } catch {
    return undefined;
  }
}

/** Boundary values of lead and continuation bytes. */
const EDGES = [0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0];
const LEADS = Array.from({ length: 0x100 - 0xc0 }, (_, i) => 0xc0 + i);

describe('checkUtf8 / stringAt', () => {
  it('agree with the strict reference decoder on every 1- and 2-byte string, short and behind a long ASCII run', () => {
    const mismatches: number[][] = [];
    const pad = new Array<number>(30).fill(0x61);
    for (let a = 0; a < 256; a++) {
      for (let b = -1; b < 256; b++) {
        const seq = b < 0 ? [a] : [a, b];
        // the padded variant goes through the native check (long value) after the ASCII run
        const bytes = Uint8Array.from((a + b) % 2 ? seq : [...pad, ...seq]);
        const expected = referenceOutcome(bytes);
        if (check(bytes) !== (expected !== undefined) || decode(bytes) !== expected) mismatches.push(seq);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('agree with the reference on 3- and 4-byte sequences around every lead byte boundary', () => {
    const mismatches: number[][] = [];
    const pad = new Array<number>(30).fill(0x62);
    for (const lead of LEADS) {
      for (const b of EDGES) {
        for (const c of EDGES) {
          for (const d of [-1, ...EDGES]) {
            const seq = d < 0 ? [lead, b, c] : [lead, b, c, d];
            const bytes = Uint8Array.from((b + c + d) % 2 ? seq : [...seq, ...pad]);
            const expected = referenceOutcome(bytes);
            if (check(bytes) !== (expected !== undefined) || decode(bytes) !== expected) mismatches.push(seq);
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('keep a leading byte order mark and check only the given range of a larger buffer', () => {
    const buf = Uint8Array.from([0xff, 0xef, 0xbb, 0xbf, 0x41, 0xff]);
    expect(stringAt(buf, 1, 5)).toBe('\uFEFFA');
    expect(() => checkUtf8(buf, 1, 5)).not.toThrow();
    expect(() => checkUtf8(buf, 0, 5)).toThrow(
      expect.objectContaining({ code: SchemaErrorCodes.DECODE_FAILED }),
    );
    expect(() => checkUtf8(buf, 1, 6)).toThrow(
      expect.objectContaining({ code: SchemaErrorCodes.DECODE_FAILED }),
    );
  });
});
