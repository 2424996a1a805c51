import { describe, expect, it } from 'vitest';
import { InternedStrings } from '../src/interned-strings.js';
import { stringAt } from '../src/utf8-range.js';

function outcome(f: () => string): string {
  try {
    return `ok:${f()}`;
  } catch (error) {
    return `throws:${(error as Error).message}`;
  }
}

describe('InternedStrings', () => {
  it('gives what stringAt gives for every range, hits or misses, colliding slots included', () => {
    const interned = new InternedStrings();
    const values = [
      ...Array.from({ length: 10_000 }, (_, i) => `/products/${i % 5_000}`), // more distinct values than slots
      'ü€😀 page',
      '',
      'x'.repeat(InternedStrings.MAX_BYTES + 1),
    ];
    const buffers = values.map((v) =>
      Buffer.concat([Buffer.from([0x0a, 0x20]), Buffer.from(v), Buffer.from([0x7f])]),
    );
    for (let round = 0; round < 3; round++) {
      buffers.forEach((b, i) => {
        expect(interned.stringAt(b, 2, b.length - 1)).toBe(values[i]);
      });
    }
  });

  it('returns the string decoded before on a hit (no new string) and rejects invalid UTF-8 as stringAt does', () => {
    const interned = new InternedStrings();
    const first = interned.stringAt(Buffer.from('/home'), 0, 5);
    expect(interned.stringAt(Buffer.from('xx/homeyy'), 2, 7)).toBe(first);
    for (const bad of [
      Buffer.from([0x2f, 0xc3]),
      Buffer.from([0xff, 0x41]),
      Buffer.from([0xed, 0xa0, 0x80]),
    ]) {
      expect(outcome(() => interned.stringAt(bad, 0, bad.length))).toBe(
        outcome(() => stringAt(bad, 0, bad.length)),
      );
      expect(outcome(() => interned.stringAt(bad, 0, bad.length))).toMatch(/^throws:/);
    }
  });
});
