import { encodeClickstreamEvent } from '@tributary/schema';
import type { ClickstreamEvent } from '@tributary/schema';
import { describe, expect, it } from 'vitest';
import { computeGroundTruth, GroundTruthAccumulator, Verdicts } from '../../src/ground-truth/ground-truth.js';
import type { GroundTruthEntry } from '../../src/ground-truth/ground-truth.js';

const T0 = Date.UTC(2025, 0, 1); // a window boundary for 60 s windows

function ev(id: string, ts: number, page = '/a', type: 'CLICK' | 'VIEW' = 'VIEW'): ClickstreamEvent {
  return {
    userId: 'u1',
    pageUrl: page,
    timestamp: ts,
    eventType: type,
    eventId: id,
    sessionId: 's1',
    referrer: '',
    userAgent: '',
    device: '',
    country: '',
  };
}

const at = (partition: number, event: ClickstreamEvent): GroundTruthEntry => ({ partition, event });

describe('computeGroundTruth', () => {
  it('counts clicks and views per page in epoch-aligned windows, sorted by start then page', () => {
    const m = computeGroundTruth(
      [
        at(0, ev('1', T0 + 10, '/b', 'CLICK')),
        at(0, ev('2', T0 + 20, '/a', 'VIEW')),
        at(1, ev('3', T0 + 59_999, '/a', 'CLICK')),
        at(1, ev('4', T0 + 60_000, '/a', 'VIEW')),
        at(0, ev('5', T0 + 30, '/b', 'VIEW')),
      ],
      { partitions: 2, topic: 't', seed: 9 },
    );
    expect(m).toMatchObject({
      formatVersion: 1,
      topic: 't',
      partitions: 2,
      seed: 9,
      windowSizeMs: 60_000,
      windowOffsetMs: 0,
      outOfOrdernessMs: 5_000,
      allowedLatenessMs: 0,
      dedupTtlMs: 600_000,
      maxKeysPerWindow: 100_000,
      totals: { sent: 5, accepted: 5, late: 0, duplicates: 0, deadLettered: 0 },
    });
    expect(m.windows).toEqual([
      { pageUrl: '/a', windowStart: T0, windowEnd: T0 + 60_000, clickCount: 1, viewCount: 1 },
      { pageUrl: '/b', windowStart: T0, windowEnd: T0 + 60_000, clickCount: 1, viewCount: 1 },
      { pageUrl: '/a', windowStart: T0 + 60_000, windowEnd: T0 + 120_000, clickCount: 0, viewCount: 1 },
    ]);
  });

  it('applies the window offset', () => {
    const m = computeGroundTruth([at(0, ev('1', T0 + 10))], { partitions: 1, windowOffsetMs: 15_000 });
    expect(m.windows[0]).toMatchObject({ windowStart: T0 - 45_000, windowEnd: T0 + 15_000 });
  });

  it('calls an event late when windowEnd + L <= maxTs - B, at the exact boundary too', () => {
    const acc = new GroundTruthAccumulator({ partitions: 1 });
    expect(acc.add(at(0, ev('a', T0 + 65_000)))).toBe(Verdicts.ACCEPTED); // wm = T0 + 60 000
    expect(acc.add(at(0, ev('b', T0 + 59_999)))).toBe(Verdicts.LATE); // windowEnd T0 + 60 000 <= wm
    expect(acc.add(at(0, ev('c', T0 + 60_000)))).toBe(Verdicts.ACCEPTED);

    const justBefore = new GroundTruthAccumulator({ partitions: 1 });
    justBefore.add(at(0, ev('a', T0 + 64_999))); // wm = T0 + 59 999
    expect(justBefore.add(at(0, ev('b', T0 + 59_999)))).toBe(Verdicts.ACCEPTED);
  });

  it('honours allowed lateness', () => {
    const acc = new GroundTruthAccumulator({ partitions: 1, allowedLatenessMs: 30_000 });
    acc.add(at(0, ev('a', T0 + 94_999))); // wm = T0 + 89 999 < windowEnd + L = T0 + 90 000
    expect(acc.add(at(0, ev('b', T0 + 1)))).toBe(Verdicts.ACCEPTED);
    acc.add(at(0, ev('c', T0 + 95_000))); // wm = T0 + 90 000
    expect(acc.add(at(0, ev('d', T0 + 2)))).toBe(Verdicts.LATE);
    expect(acc.toManifest().totals).toEqual({
      sent: 4,
      accepted: 3,
      late: 1,
      duplicates: 0,
      deadLettered: 0,
    });
  });

  it('keeps watermarks per partition: a lagging partition is not late because another one ran ahead', () => {
    const acc = new GroundTruthAccumulator({ partitions: 2 });
    acc.add(at(0, ev('a', T0 + 600_000)));
    expect(acc.add(at(1, ev('b', T0 + 1)))).toBe(Verdicts.ACCEPTED);
    expect(acc.add(at(0, ev('c', T0 + 1)))).toBe(Verdicts.LATE);
  });

  it('deduplicates by event_id per partition, not across partitions', () => {
    const m = computeGroundTruth(
      [
        at(0, ev('x', T0 + 1, '/a', 'CLICK')),
        at(0, ev('x', T0 + 1, '/a', 'CLICK')),
        at(1, ev('x', T0 + 1, '/a', 'CLICK')),
      ],
      { partitions: 2 },
    );
    expect(m.totals).toEqual({ sent: 3, accepted: 2, late: 0, duplicates: 1, deadLettered: 0 });
    expect(m.windows).toEqual([
      { pageUrl: '/a', windowStart: T0, windowEnd: T0 + 60_000, clickCount: 2, viewCount: 0 },
    ]);
  });

  it('checks lateness before duplicates: a duplicate whose window closed is late, not a duplicate', () => {
    const acc = new GroundTruthAccumulator({ partitions: 1 });
    expect(acc.add(at(0, ev('x', T0 + 59_000)))).toBe(Verdicts.ACCEPTED);
    acc.add(at(0, ev('y', T0 + 66_000)));
    expect(acc.add(at(0, ev('x', T0 + 59_000)))).toBe(Verdicts.LATE);
    expect(acc.totals).toMatchObject({ accepted: 2, late: 1, duplicates: 0 });
  });

  it('does not remember late events for dedup', () => {
    const acc = new GroundTruthAccumulator({ partitions: 1, allowedLatenessMs: 0 });
    acc.add(at(0, ev('a', T0 + 130_000)));
    expect(acc.add(at(0, ev('late', T0 + 1)))).toBe(Verdicts.LATE);
    expect(acc.add(at(0, ev('late', T0 + 125_000)))).toBe(Verdicts.ACCEPTED);
  });

  it('expires dedup ids once wm >= ts of first + dedupTtl', () => {
    const acc = new GroundTruthAccumulator({ partitions: 1, windowSizeMs: 3_600_000, dedupTtlMs: 1_000 });
    expect(acc.add(at(0, ev('x', T0 + 10_000)))).toBe(Verdicts.ACCEPTED);
    acc.add(at(0, ev('y', T0 + 15_999))); // wm = T0 + 10 999 < T0 + 11 000: x still known
    expect(acc.add(at(0, ev('x', T0 + 10_000)))).toBe(Verdicts.DUPLICATE);
    acc.add(at(0, ev('z', T0 + 16_000))); // wm = T0 + 11 000: x expired
    expect(acc.add(at(0, ev('x', T0 + 10_000)))).toBe(Verdicts.ACCEPTED);
    // Re-accepted with ts_of_first = T0 + 10 000, which is already expired at this watermark.
    expect(acc.add(at(0, ev('x', T0 + 10_000)))).toBe(Verdicts.ACCEPTED);
    // A re-accepted id with a newer timestamp is remembered again.
    expect(acc.add(at(0, ev('x', T0 + 15_000)))).toBe(Verdicts.ACCEPTED);
    expect(acc.add(at(0, ev('x', T0 + 15_000)))).toBe(Verdicts.DUPLICATE);
  });

  it('never deduplicates events without an event_id', () => {
    const m = computeGroundTruth([at(0, ev('', T0 + 1)), at(0, ev('', T0 + 1))], { partitions: 1 });
    expect(m.totals).toMatchObject({ accepted: 2, duplicates: 0 });
  });

  it('dead-letters undecodable and invalid records without touching the watermark', () => {
    const future = { ...ev('f', T0 + 10_000_000), pageUrl: '' }; // decodable, missing page_url
    const entries: GroundTruthEntry[] = [
      { partition: 0, value: new Uint8Array([0xff, 0xff, 0xff]) },
      { partition: 0, value: encodeClickstreamEvent(future) },
      { partition: 0, value: encodeClickstreamEvent({ ...ev('t', T0 + 1), eventType: 'PURCHASE' }) },
      { partition: 0, value: encodeClickstreamEvent(ev('ok', T0 + 1)) },
    ];
    const m = computeGroundTruth(entries, { partitions: 1 });
    expect(m.totals).toEqual({ sent: 4, accepted: 1, late: 0, duplicates: 0, deadLettered: 3 });
  });

  it('handles a partition that gets no events and an empty log', () => {
    const m = computeGroundTruth([at(2, ev('a', T0 + 5))], { partitions: 4 });
    expect(m.partitions).toBe(4);
    expect(m.windows).toHaveLength(1);
    const empty = computeGroundTruth([], { partitions: 3 });
    expect(empty.totals).toEqual({ sent: 0, accepted: 0, late: 0, duplicates: 0, deadLettered: 0 });
    expect(empty.windows).toEqual([]);
  });

  it('gives the same answer for encoded bytes and decoded events', () => {
    const events = [
      ev('a', T0 + 70_000, '/x', 'CLICK'),
      ev('b', T0 + 1),
      ev('a', T0 + 70_000, '/x', 'CLICK'),
    ];
    const fromEvents = computeGroundTruth(
      events.map((e) => at(0, e)),
      { partitions: 1 },
    );
    const fromBytes = computeGroundTruth(
      events.map((e) => ({ partition: 0, value: encodeClickstreamEvent(e) })),
      { partitions: 1 },
    );
    expect(fromBytes).toEqual(fromEvents);
    expect(fromEvents.totals).toEqual({ sent: 3, accepted: 1, late: 1, duplicates: 1, deadLettered: 0 });
  });

  it('addEvent and addBytes give the verdicts of add', () => {
    const viaAdd = new GroundTruthAccumulator({ partitions: 2 });
    const viaMethods = new GroundTruthAccumulator({ partitions: 2 });
    const log: [number, ClickstreamEvent][] = [
      [0, ev('a', T0 + 70_000, '/x', 'CLICK')],
      [1, ev('b', T0 + 1)],
      [0, ev('a', T0 + 70_000, '/x', 'CLICK')],
      [0, ev('c', T0 + 1)],
    ];
    const verdicts = log.map(([p, e], i) =>
      i % 2 === 0 ? viaMethods.addEvent(p, e) : viaMethods.addBytes(p, encodeClickstreamEvent(e)),
    );
    expect(verdicts).toEqual(log.map(([p, e]) => viaAdd.add(at(p, e))));
    expect(verdicts).toEqual([Verdicts.ACCEPTED, Verdicts.ACCEPTED, Verdicts.DUPLICATE, Verdicts.LATE]);
    expect(viaMethods.addBytes(1, new Uint8Array([0xff]))).toBe(Verdicts.DEAD_LETTER);
    expect(() => viaMethods.addEvent(2, ev('z', T0))).toThrow(/partition 2/);
  });

  it('counts into the right window when events go back and forth between windows', () => {
    const m = computeGroundTruth(
      [
        at(0, ev('1', T0 + 10, '/a')),
        at(0, ev('2', T0 + 60_010, '/a')),
        at(0, ev('3', T0 + 20, '/a', 'CLICK')),
        at(0, ev('4', T0 + 60_020, '/b')),
        at(0, ev('5', T0 + 30, '/a')),
      ],
      { partitions: 1 },
    );
    expect(m.windows).toEqual([
      { pageUrl: '/a', windowStart: T0, windowEnd: T0 + 60_000, clickCount: 1, viewCount: 2 },
      { pageUrl: '/a', windowStart: T0 + 60_000, windowEnd: T0 + 120_000, clickCount: 0, viewCount: 1 },
      { pageUrl: '/b', windowStart: T0 + 60_000, windowEnd: T0 + 120_000, clickCount: 0, viewCount: 1 },
    ]);
  });

  it('rejects entries for partitions that do not exist and bad rules', () => {
    const acc = new GroundTruthAccumulator({ partitions: 2 });
    expect(() => acc.add(at(2, ev('a', T0)))).toThrow(/partition 2/);
    expect(() => new GroundTruthAccumulator({ partitions: 0 })).toThrow(/partitions/);
    expect(() => new GroundTruthAccumulator({ partitions: 1, windowSizeMs: 0 })).toThrow(/windowSizeMs/);
    expect(() => new GroundTruthAccumulator({ partitions: 1, maxKeysPerWindow: 0 })).toThrow(
      expect.objectContaining({
        code: 'TRIB_PRODUCER_INVALID_OPTION',
        message: expect.stringMatching(/^maxKeysPerWindow must be an integer >= 1/),
      }),
    );
  });

  it('maxKeysPerWindow: a page new to a window already holding the cap of the partition is dead-lettered', () => {
    const acc = new GroundTruthAccumulator({ partitions: 2, maxKeysPerWindow: 2 });
    expect(acc.add(at(0, ev('1', T0 + 1, '/a')))).toBe(Verdicts.ACCEPTED);
    expect(acc.add(at(0, ev('2', T0 + 2, '/b')))).toBe(Verdicts.ACCEPTED);
    expect(acc.add(at(0, ev('3', T0 + 3, '/c')))).toBe(Verdicts.DEAD_LETTER);
    expect(acc.add(at(0, ev('3', T0 + 3, '/a')))).toBe(Verdicts.DUPLICATE); // its id was remembered
    expect(acc.add(at(0, ev('4', T0 + 4, '/a', 'CLICK')))).toBe(Verdicts.ACCEPTED); // a known page still counts
    expect(acc.add(at(1, ev('5', T0 + 5, '/c')))).toBe(Verdicts.ACCEPTED); // per partition
    expect(acc.add(at(0, ev('6', T0 + 60_000, '/c')))).toBe(Verdicts.ACCEPTED); // per window
    expect(acc.add(at(0, ev('7', T0 + 66_000, '/d')))).toBe(Verdicts.ACCEPTED); // wm T0 + 61 000
    expect(acc.add(at(0, ev('8', T0 + 7, '/e')))).toBe(Verdicts.LATE); // the full window closed: late first
    expect(acc.add(at(0, ev('9', T0 + 66_001, '/e')))).toBe(Verdicts.DEAD_LETTER);
    expect(acc.add(at(0, ev('10', T0 + 121_000, '/f')))).toBe(Verdicts.ACCEPTED);
    expect(acc.add(at(0, ev('11', T0 + 122_000, '/g')))).toBe(Verdicts.ACCEPTED);
    // An over-cap event is valid: it moves the watermark like any valid event (to T0 + 120 000 here) ...
    expect(acc.add(at(0, ev('12', T0 + 125_000, '/h')))).toBe(Verdicts.DEAD_LETTER);
    // ... so the window [T0 + 60 000, T0 + 120 000) is closed for a known page too.
    expect(acc.add(at(0, ev('13', T0 + 60_500, '/c')))).toBe(Verdicts.LATE);
    const m = acc.toManifest();
    expect(m.maxKeysPerWindow).toBe(2);
    expect(m.totals).toEqual({ sent: 14, accepted: 8, late: 2, duplicates: 1, deadLettered: 3 });
    expect(m.windows).toEqual([
      { pageUrl: '/a', windowStart: T0, windowEnd: T0 + 60_000, clickCount: 1, viewCount: 1 },
      { pageUrl: '/b', windowStart: T0, windowEnd: T0 + 60_000, clickCount: 0, viewCount: 1 },
      { pageUrl: '/c', windowStart: T0, windowEnd: T0 + 60_000, clickCount: 0, viewCount: 1 },
      { pageUrl: '/c', windowStart: T0 + 60_000, windowEnd: T0 + 120_000, clickCount: 0, viewCount: 1 },
      { pageUrl: '/d', windowStart: T0 + 60_000, windowEnd: T0 + 120_000, clickCount: 0, viewCount: 1 },
      { pageUrl: '/f', windowStart: T0 + 120_000, windowEnd: T0 + 180_000, clickCount: 0, viewCount: 1 },
      { pageUrl: '/g', windowStart: T0 + 120_000, windowEnd: T0 + 180_000, clickCount: 0, viewCount: 1 },
    ]);
  });

  it('maxKeysPerWindow with allowed lateness: a window keeps its keys until windowEnd + L <= wm', () => {
    const acc = new GroundTruthAccumulator({ partitions: 1, maxKeysPerWindow: 1, allowedLatenessMs: 30_000 });
    expect(acc.add(at(0, ev('1', T0 + 1, '/a')))).toBe(Verdicts.ACCEPTED);
    acc.add(at(0, ev('2', T0 + 94_999, '/z'))); // wm T0 + 89 999: the first window is still open
    expect(acc.add(at(0, ev('3', T0 + 2, '/b')))).toBe(Verdicts.DEAD_LETTER);
    expect(acc.add(at(0, ev('4', T0 + 3, '/a')))).toBe(Verdicts.ACCEPTED);
    acc.add(at(0, ev('5', T0 + 95_000, '/z'))); // wm T0 + 90 000: closed
    expect(acc.add(at(0, ev('6', T0 + 4, '/b')))).toBe(Verdicts.LATE);
  });

  it("dead-letters an event more than maxFutureSkewMs ahead of its record's timestamp; it does not move the watermark", () => {
    // An event dated 55 minutes ahead, then on-time events: without the rule they would all be late.
    const recordTs = T0 + 30_000;
    const entries: GroundTruthEntry[] = [
      { partition: 0, event: ev('future', T0 + 55 * 60_000), timestamp: recordTs },
      { partition: 0, event: ev('on-time', T0 + 20_000), timestamp: recordTs },
      // No record timestamp: the check cannot be made (and is not).
      { partition: 0, event: ev('no-ts', T0 + 40_000) },
      { partition: 0, event: ev('skew-ok', T0 + 30_000 + 300_000), timestamp: recordTs },
    ];
    const m = computeGroundTruth(entries, { partitions: 1 });
    expect(m.totals).toMatchObject({ accepted: 3, deadLettered: 1, late: 0 });
    const tight = computeGroundTruth(entries, { partitions: 1, maxFutureSkewMs: 0 });
    expect(tight.totals).toMatchObject({ deadLettered: 2 });
  });

  it('dead-letters events with a string field over its byte limit, as the processor does', () => {
    const long = { ...ev('big', T0 + 1), pageUrl: '/' + 'x'.repeat(600_000) };
    const bytes = encodeClickstreamEvent(long);
    const m = computeGroundTruth(
      [
        { partition: 0, value: bytes },
        { partition: 0, event: ev('small', T0 + 2) },
      ],
      { partitions: 1 },
    );
    expect(m.totals).toMatchObject({ accepted: 1, deadLettered: 1 });
    const raised = computeGroundTruth([{ partition: 0, value: bytes }], {
      partitions: 1,
      maxFieldBytes: { page_url: 1_000_000 },
    });
    expect(raised.totals).toMatchObject({ accepted: 1, deadLettered: 0 });
  });
});
