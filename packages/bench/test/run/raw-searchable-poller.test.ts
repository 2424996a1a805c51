import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from '@tributary/producer';
import { recordNewlySearchable } from '../../src/run/raw-searchable-poller.js';

describe('recordNewlySearchable', () => {
  it('records only documents counted since the previous search, from the middle of their bucket', () => {
    const seen = new Map<number, number>();
    const h = new LatencyHistogram();
    // First search at 2000: 10 events in [1000, 1050), 4 in [1050, 1100).
    expect(
      recordNewlySearchable(
        [
          { key: 1000, count: 10 },
          { key: 1050, count: 4 },
        ],
        seen,
        2000,
        50,
        h,
      ),
    ).toBe(14);
    // Second search at 2250: 6 more in the second bucket, nothing new in the first.
    expect(
      recordNewlySearchable(
        [
          { key: 1000, count: 10 },
          { key: 1050, count: 10 },
        ],
        seen,
        2250,
        50,
        h,
      ),
    ).toBe(6);
    expect(h.totalCount).toBe(20);
    // 10 × (2000 − 1025) = 975 ms, 4 × (2000 − 1075) = 925 ms, 6 × (2250 − 1075) = 1175 ms.
    expect(h.valueAtPercentileUs(50) / 1000).toBeCloseTo(975, 0);
    expect(h.maxUs / 1000).toBeCloseTo(1175, 0);
    expect(h.minUs / 1000).toBeCloseTo(925, 0);
    expect(seen.get(1050)).toBe(10);
  });

  it('never records a bucket whose count did not grow', () => {
    const seen = new Map([[1000, 5]]);
    const h = new LatencyHistogram();
    expect(recordNewlySearchable([{ key: 1000, count: 5 }], seen, 3000, 50, h)).toBe(0);
    expect(h.totalCount).toBe(0);
  });
});
