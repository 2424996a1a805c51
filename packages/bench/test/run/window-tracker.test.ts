import { describe, expect, it } from 'vitest';
import { WindowTracker, type WindowCounts } from '../../src/run/window-tracker.js';

const w = (pageUrl: string, windowStart: number, clickCount: number, viewCount: number): WindowCounts => ({
  pageUrl,
  windowStart,
  windowEnd: windowStart + 10_000,
  clickCount,
  viewCount,
});

describe('WindowTracker', () => {
  it('measures from window end + out-of-orderness bound, once per window', () => {
    const t = new WindowTracker({ outOfOrdernessMs: 5000 });
    // Window [0, 10 000) closes at 15 000.
    t.observeKafkaResult(w('/a', 0, 1, 2), 15_200);
    t.observeKafkaResult(w('/a', 0, 1, 2), 99_999); // re-read: ignored
    t.observeSearchable(w('/a', 0, 1, 2), 16_000);
    t.observeSearchable(w('/a', 0, 1, 2), 17_000); // seen again by the next poll: ignored
    const l = t.latencies();
    expect(l.resultInKafka.maxUs).toBe(200_000);
    expect(l.searchable.totalCount).toBe(1);
    expect(l.searchable.maxUs).toBeGreaterThanOrEqual(1_000_000);
    expect(l.searchable.maxUs).toBeLessThanOrEqual(1_001_000);
    expect(l.kafkaToSearchable.maxUs).toBe(800_000);
    expect(l.drainWindows).toBe(0);
    expect(l.warmupWindows).toBe(0);
    expect(t.searchableWindows).toBe(1);
    expect(t.lastSearchableAt).toBe(16_000);
  });

  it('times the bulk acknowledgement of the final document from the close time, first ack only, steady windows only', () => {
    const t = new WindowTracker({ outOfOrdernessMs: 5000 });
    t.observeAcknowledged({ pageUrl: '/a', windowStart: 0, windowEnd: 10_000 }, 15_700);
    t.observeAcknowledged({ pageUrl: '/a', windowStart: 0, windowEnd: 10_000 }, 18_000); // retried: ignored
    t.observeAcknowledged({ pageUrl: '/b', windowStart: 10_000, windowEnd: 20_000 }, 26_000); // closes at 25 000
    expect(t.acknowledgedWindows).toBe(2);
    expect(t.latencies().acknowledged.totalCount).toBe(2);
    const steady = t.latencies(20_000).acknowledged;
    expect(steady.totalCount).toBe(1);
    expect(steady.maxUs).toBe(700_000);
  });

  it('leaves out windows that close after the last event (closed by the idle timeout)', () => {
    const t = new WindowTracker({ outOfOrdernessMs: 1000 });
    t.observeKafkaResult(w('/a', 0, 1, 0), 11_500); // closes at 11 000: steady
    t.observeSearchable(w('/a', 0, 1, 0), 12_000);
    t.observeKafkaResult(w('/a', 10_000, 1, 0), 26_000); // closes at 21 000, after the last event at 15 000
    t.observeSearchable(w('/a', 10_000, 1, 0), 27_000);
    const steady = t.latencies(15_000);
    expect(steady.searchable.totalCount).toBe(1);
    expect(steady.resultInKafka.totalCount).toBe(1);
    expect(steady.kafkaToSearchable.totalCount).toBe(1);
    expect(steady.drainWindows).toBe(1);
    expect(t.latencies().searchable.totalCount).toBe(2);
    // A warm-up ending at 12 000 leaves out the first window (closed at 11 000) too.
    const measured = t.latencies(15_000, 12_000);
    expect(measured.searchable.totalCount).toBe(0);
    expect(measured.warmupWindows).toBe(1);
    expect(measured.drainWindows).toBe(1);
  });

  it('is complete only when every expected window is searchable with the expected counts', () => {
    const t = new WindowTracker({ outOfOrdernessMs: 0 });
    const expected = [w('/a', 0, 1, 2), w('/b', 0, 0, 5)];
    t.observeSearchable(w('/a', 0, 1, 2), 10_000);
    expect(t.complete(expected)).toBe(false);
    t.observeSearchable(w('/b', 0, 0, 4), 10_000);
    expect(t.complete(expected)).toBe(false);
    t.observeSearchable(w('/b', 0, 0, 5), 11_000); // a later version with the final count
    expect(t.complete(expected)).toBe(true);
  });

  it('derives lost and duplicated per window from the ground truth', () => {
    const t = new WindowTracker({ outOfOrdernessMs: 0 });
    const expected = [w('/a', 0, 10, 10), w('/b', 0, 5, 5), w('/c', 0, 1, 0)];
    t.observeSearchable(w('/a', 0, 10, 10), 1);
    t.observeSearchable(w('/b', 0, 5, 7), 1); // 2 counted twice
    t.observeSearchable(w('/z', 0, 3, 0), 1); // a window nobody produced
    // '/c' never arrives: 1 lost.
    expect(t.correctness(expected, { produced: 40, late: 2, deadLettered: 1 })).toEqual({
      produced: 40,
      counted: 35,
      late: 2,
      deadLettered: 1,
      lost: 1,
      duplicated: 5,
    });
  });
});

describe('WindowTracker counts read from the results topic', () => {
  it('checks completeness and correctness on Kafka results, only for windows closing by closingBy', () => {
    const t = new WindowTracker({ outOfOrdernessMs: 5000 });
    const expected = [w('/a', 0, 1, 2), w('/b', 0, 3, 0), w('/a', 10_000, 4, 4)];
    const check = { source: 'kafka', closingBy: 16_000 } as const; // [0, 10 000) closes at 15 000; the next at 25 000
    expect(t.complete(expected, check)).toBe(false);
    t.observeKafkaResult(w('/a', 0, 1, 2), 15_300);
    t.observeKafkaResult(w('/b', 0, 3, 1), 15_400); // one view too many
    t.observeKafkaResult(w('/z', 10_000, 9, 9), 25_100); // closes after closingBy: ignored
    expect(t.complete(expected, check)).toBe(false);
    expect(t.complete(expected)).toBe(false); // nothing searchable yet
    expect(t.correctness(expected, { produced: 6, late: 0, deadLettered: 0 }, check)).toEqual({
      produced: 6,
      counted: 7,
      late: 0,
      deadLettered: 0,
      lost: 0,
      duplicated: 1,
    });
    t.observeKafkaResult(w('/b', 0, 3, 0), 15_900); // a later result replaces the counts
    expect(t.complete(expected, check)).toBe(true);
    expect(t.correctness(expected, { produced: 6, late: 0, deadLettered: 0 }, check).duplicated).toBe(0);
    // The Elasticsearch side is untouched: searchable counts still decide the table's correctness.
    expect(t.correctness(expected, { produced: 14, late: 0, deadLettered: 0 }).lost).toBe(14);
  });
});
