import { describe, expect, it } from 'vitest';
import { describeValue } from '../src/describe-value.js';

describe('describeValue', () => {
  it('names the type and shows primitives, truncating long strings', () => {
    expect(describeValue('abc')).toBe('string "abc"');
    expect(describeValue('x'.repeat(50))).toBe(`string "${'x'.repeat(40)}…"`);
    expect(describeValue(1.5)).toBe('number 1.5');
    expect(describeValue(true)).toBe('boolean true');
    expect(describeValue(10n)).toBe('bigint 10');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue({ a: 1 })).toBe('object');
    expect(describeValue(() => 1)).toBe('function');
  });
});
