import { describe, expect, it } from 'vitest';
import { partitionLag } from '../../src/metrics/consumer-lag.js';

describe('partitionLag', () => {
  it('is high watermark minus position', () => {
    expect(partitionLag(1500, 0, 1_000)).toBe(500);
    expect(partitionLag(1500, 0, 1_500)).toBe(0);
  });

  it('counts the retained log when nothing was consumed yet', () => {
    expect(partitionLag(1500, 200, null)).toBe(1_300);
  });

  it('is never negative (position past a transaction marker)', () => {
    expect(partitionLag(10, 0, 11)).toBe(0);
  });
});
