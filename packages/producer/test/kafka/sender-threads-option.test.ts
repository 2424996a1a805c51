import { describe, expect, it } from 'vitest';
import { senderThreadCount } from '../../src/kafka/sender-threads-option.js';

describe('senderThreadCount', () => {
  it("'auto' is one sender thread with at least two cores, none on one core", () => {
    expect(senderThreadCount('auto', 1)).toBe(0);
    expect(senderThreadCount('auto', 2)).toBe(1);
    expect(senderThreadCount('auto', 16)).toBe(1);
  });

  it('a number is taken as it is', () => {
    expect(senderThreadCount(0, 8)).toBe(0);
    expect(senderThreadCount(3, 1)).toBe(3);
  });
});
