import { describe, expect, it } from 'vitest';
import { jsonCodec } from '../../src/state/codec.js';

describe('jsonCodec', () => {
  it('round-trips plain JSON values as UTF-8', () => {
    const c = jsonCodec<{ a: number; s: string; n: null }>();
    const v = { a: 1.5, s: 'é/ü', n: null };
    const bytes = c.encode(v);
    expect(bytes.toString('utf8')).toBe(JSON.stringify(v));
    expect(c.decode(bytes)).toEqual(v);
  });
});
