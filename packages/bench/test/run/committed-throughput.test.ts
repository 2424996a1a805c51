import { describe, expect, it } from 'vitest';
import { committedThroughput } from '../../src/run/committed-throughput.js';

describe('committedThroughput', () => {
  it('is the committed records per second between the first and last readings that saw a commit', () => {
    // Commits every reading (a 200 ms commit interval read every 500 ms): 1000 records/s.
    const steady = [0, 500, 1000, 1500, 2000, 2500].map((atMs) => ({ atMs, committed: atMs }));
    expect(committedThroughput(steady, 0, 2500)).toBe(1000);
  });

  it('spans whole commit periods of an engine that commits on checkpoints', () => {
    // A commit every 5 s of 5000 records, read every 500 ms: readings between commits repeat the count.
    const readings = Array.from({ length: 41 }, (_, i) => {
      const atMs = i * 500;
      return { atMs, committed: Math.floor((atMs - 100) / 5000) * 5000 };
    });
    // Counted from the first reading after the commit at 5 s to the first after the commit at 15 s.
    expect(committedThroughput(readings, 2_000, 18_000)).toBe(1000);
  });

  it('leaves out readings outside the window', () => {
    const readings = [
      { atMs: 0, committed: 0 },
      { atMs: 1000, committed: 9000 }, // warm-up burst, before the window
      { atMs: 2000, committed: 10_000 },
      { atMs: 3000, committed: 11_000 },
      { atMs: 4000, committed: 12_000 },
      { atMs: 5000, committed: 50_000 }, // after the window
    ];
    expect(committedThroughput(readings, 1500, 4500)).toBe(1000);
  });

  it('is null without two readings that saw a commit', () => {
    expect(committedThroughput([], 0, 10_000)).toBeNull();
    expect(
      committedThroughput(
        [
          { atMs: 0, committed: 5 },
          { atMs: 1000, committed: 5 },
          { atMs: 2000, committed: 7 },
          { atMs: 3000, committed: 7 },
        ],
        0,
        10_000,
      ),
    ).toBeNull();
  });
});
