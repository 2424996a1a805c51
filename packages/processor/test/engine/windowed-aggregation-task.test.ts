import { describe, expect, it } from 'vitest';
import { clickstreamAggregator, type PageCounts } from '../../src/aggregate/clickstream.js';
import { ENGINE_CHANNELS } from '../../src/engine/diagnostics.js';
import { SIDE_OUTPUT_HEADERS } from '../../src/engine/side-outputs.js';
import { decodeWindowState } from '../../src/engine/window-state-codec.js';
import { WindowedAggregationTask } from '../../src/engine/windowed-aggregation-task.js';
import type { WindowedAggregationTaskOptions } from '../../src/engine/windowed-aggregation-task.js';
import type { OutputRecord } from '../../src/task/partition-task.js';
import { HoppingWindows } from '../../src/windows/hopping.js';
import { SessionWindows } from '../../src/windows/session.js';
import { TumblingWindows } from '../../src/windows/tumbling.js';
import {
  decodeTestEvent,
  latestByWindow,
  Log,
  messyEvents,
  messyRecords,
  referenceCounts,
  type TestEvent,
  windowedResults,
} from './fixtures.js';
import { changelogToV1 } from './format-1.js';
import { runUninterrupted, runWithRestart } from './restart.js';

const MIN = 60_000;

function task(overrides: Partial<WindowedAggregationTaskOptions<TestEvent, PageCounts, PageCounts>> = {}) {
  return new WindowedAggregationTask<TestEvent, PageCounts, PageCounts>({
    decode: decodeTestEvent,
    timestampOf: (e) => e.ts,
    keyOf: (e) => e.page,
    eventIdOf: (e) => e.id,
    window: new TumblingWindows({ sizeMs: MIN }),
    aggregator: clickstreamAggregator<TestEvent>(),
    wallClockAdvance: false,
    ...overrides,
  });
}

const results = windowedResults<PageCounts>;

describe('WindowedAggregationTask', () => {
  it('counts per page and window and emits final once the watermark passes the window end', () => {
    const t = task();
    const log = new Log();
    t.process(log.event({ ts: 1000, eventType: 'CLICK' }));
    t.process(log.event({ ts: 2000, eventType: 'VIEW' }));
    t.process(log.event({ ts: 3000, page: '/b', eventType: 'VIEW' }));
    t.process(log.event({ ts: 64_999 })); // wm = 59_999: not yet
    expect(t.commitRequested()).toBe(false);
    expect(results(t.drainOutputs())).toEqual([]);
    t.process(log.event({ ts: 65_000 })); // wm = 60_000 >= end
    expect(t.commitRequested()).toBe(true); // a window fired: its results are committed at once
    const out = t.drainOutputs();
    expect(t.commitRequested()).toBe(false);
    // windows closing together are emitted in (windowEnd, key) order
    expect(results(out)).toEqual([
      {
        key: '/b',
        windowStart: 0,
        windowEnd: MIN,
        result: { clickCount: 0, viewCount: 1 },
        isFinal: true,
        version: 1,
      },
      {
        key: '/home',
        windowStart: 0,
        windowEnd: MIN,
        result: { clickCount: 1, viewCount: 1 },
        isFinal: true,
        version: 1,
      },
    ]);
    expect(out[0]!.key!.toString()).toBe('/b');
    expect(out[0]!.destination).toEqual({ kind: 'by-key' });
    expect(t.counters).toMatchObject({ accepted: 5, late: 0, duplicates: 0, deadLettered: 0 });
  });

  it('routes undecodable records to dead-letter with error and source headers, without touching the watermark', () => {
    const t = task();
    const log = new Log('clicks', 3);
    t.process(log.event({ ts: 10_000 }));
    t.process(log.raw(Buffer.from('{oops'), Buffer.from('k')));
    const dl = t.drainOutputs().filter((o) => o.output === 'dead-letter');
    expect(dl).toHaveLength(1);
    expect(dl[0]!.value!.toString()).toBe('{oops');
    expect(dl[0]!.key!.toString()).toBe('k');
    expect(dl[0]!.headers).toEqual({
      'tributary.error.code': 'TEST_DECODE',
      'tributary.error.reason': 'not JSON',
      'tributary.source.topic': 'clicks',
      'tributary.source.partition': '3',
      'tributary.source.offset': '1',
      'tributary.source.timestamp': '1',
    });
    expect(t.watermarks.data).toBe(5_000);
    expect(t.counters.deadLettered).toBe(1);
  });

  it('routes late events (windowEnd + L <= wm) to the late output with reason headers', () => {
    const t = task();
    const log = new Log();
    t.process(log.event({ ts: 70_000 })); // wm 65_000
    t.process(log.event({ ts: 59_000 })); // window [0, 60000): 60000 <= 65000 → late
    t.process(log.event({ ts: 60_000 })); // window [60000, 120000) → on time
    const outs = t.drainOutputs();
    const late = outs.filter((o) => o.output === 'late');
    expect(late).toHaveLength(1);
    expect(late[0]!.headers).toMatchObject({
      'tributary.late.reason': 'window-closed',
      'tributary.late.watermark': '65000',
      'tributary.late.window-end': '60000',
      'tributary.source.offset': '1',
    });
    expect(t.counters).toMatchObject({ accepted: 2, late: 1 });
  });

  it('drops duplicates by event id within the TTL; a re-accepted id after expiry counts again', () => {
    const t = task({ dedupTtlMs: 120_000 });
    const log = new Log();
    t.process(log.event({ id: 'x', ts: 1000 }));
    t.process(log.event({ id: 'x', ts: 1000 })); // duplicate
    t.process(log.event({ id: 'y', ts: 200_000 })); // wm 195_000 >= 1000 + 120_000: x expired
    t.process(log.event({ id: 'x', ts: 199_000 })); // new again (different window)
    expect(t.counters).toMatchObject({ accepted: 3, duplicates: 1 });
    t.process(log.event({ id: 'z', ts: 400_000 }));
    const latest = latestByWindow(results(t.drainOutputs()));
    expect(latest.map((r) => [r.windowStart, r.result.clickCount])).toEqual([
      [0, 1],
      [180_000, 2],
    ]);
  });

  it('skips records at or below the checkpointed offset (at-least-once replay) without double counting', () => {
    const t = task();
    const log = new Log();
    t.process(log.event({ id: 'a', ts: 1000 }));
    t.process(log.event({ id: 'b', ts: 2000 }));
    const changelog = t.drainChangelog();
    const restored = task();
    restored.restore(changelog);
    restored.process(log.records[1]!); // replayed: same offset, same id
    restored.process(log.event({ id: 'c', ts: 70_000 }));
    expect(restored.counters).toMatchObject({ skippedReplays: 1, duplicates: 0, accepted: 1 });
    const r = results(restored.drainOutputs());
    expect(r).toHaveLength(1);
    expect(r[0]!.result).toEqual({ clickCount: 2, viewCount: 0 });
  });

  it('with allowed lateness: fires at end (not final), re-fires per late event, final at end + L', () => {
    const t = task({ allowedLatenessMs: 30_000 });
    const log = new Log();
    t.process(log.event({ ts: 10_000 }));
    t.process(log.event({ ts: 66_000 })); // wm 61_000 >= 60_000: on-time firing
    let r = results(t.drainOutputs());
    expect(r).toEqual([
      expect.objectContaining({
        windowStart: 0,
        isFinal: false,
        version: 1,
        result: { clickCount: 1, viewCount: 0 },
      }),
    ]);
    t.process(log.event({ ts: 20_000 })); // late but within lateness (60000 + 30000 > 61000)
    r = results(t.drainOutputs());
    expect(r).toEqual([
      expect.objectContaining({
        windowStart: 0,
        isFinal: false,
        version: 2,
        result: { clickCount: 2, viewCount: 0 },
      }),
    ]);
    t.process(log.event({ ts: 95_000 })); // wm 90_000 >= 90_000: final
    r = results(t.drainOutputs());
    expect(r).toEqual([
      expect.objectContaining({
        windowStart: 0,
        isFinal: true,
        version: 3,
        result: { clickCount: 2, viewCount: 0 },
      }),
    ]);
    t.process(log.event({ ts: 30_000 })); // beyond lateness: late
    expect(t.drainOutputs().map((o) => o.output)).toEqual(['late']);
  });

  it('coalesces a burst of late-but-allowed events into one update per drain', () => {
    const t = task({ allowedLatenessMs: 30_000 });
    const log = new Log();
    t.process(log.event({ ts: 10_000 }));
    t.process(log.event({ ts: 66_000 }));
    expect(results(t.drainOutputs())).toEqual([expect.objectContaining({ windowStart: 0, version: 1 })]);
    for (let i = 0; i < 5; i++) t.process(log.event({ ts: 20_000 + i }));
    const r = results(t.drainOutputs());
    expect(r).toEqual([
      expect.objectContaining({
        windowStart: 0,
        version: 2,
        isFinal: false,
        result: { clickCount: 6, viewCount: 0 },
      }),
    ]);
    // the bumped version is checkpointed in the same drain cycle
    const slot = t
      .drainChangelog()
      .find((e) => e.store === 'windowed-windows' && e.key.startsWith('0:60000:'));
    expect(decodeWindowState(slot!.value!)).toMatchObject({ version: 2 });
  });

  it('publishes window-fired, late-event and dead-letter diagnostics when subscribed', () => {
    const seen: string[] = [];
    const onFired = (m: unknown) => seen.push(`fired:${(m as { windowStart: number }).windowStart}`);
    const onLate = () => seen.push('late');
    const onDead = () => seen.push('dead');
    ENGINE_CHANNELS.windowFired.subscribe(onFired);
    ENGINE_CHANNELS.lateEvent.subscribe(onLate);
    ENGINE_CHANNELS.deadLetter.subscribe(onDead);
    try {
      const t = task();
      const log = new Log();
      t.process(log.event({ ts: 1000 }));
      t.process(log.raw(Buffer.from('x')));
      t.process(log.event({ ts: 70_000 }));
      t.process(log.event({ ts: 2000 }));
    } finally {
      ENGINE_CHANNELS.windowFired.unsubscribe(onFired);
      ENGINE_CHANNELS.lateEvent.unsubscribe(onLate);
      ENGINE_CHANNELS.deadLetter.unsubscribe(onDead);
    }
    expect(seen).toEqual(['dead', 'fired:0', 'late']);
  });

  it('emits early updates every earlyUpdateIntervalMs of processing time, only for changed open windows', () => {
    const t = task({ earlyUpdateIntervalMs: 1000 });
    const log = new Log();
    t.tick(0);
    t.process(log.event({ ts: 1000 }));
    t.tick(999);
    expect(results(t.drainOutputs())).toEqual([]);
    t.tick(1000);
    expect(results(t.drainOutputs())).toEqual([expect.objectContaining({ isFinal: false, version: 1 })]);
    t.tick(2000);
    expect(results(t.drainOutputs())).toEqual([]); // unchanged
    t.process(log.event({ ts: 2000 }));
    t.process(log.event({ ts: 70_000 }));
    t.tick(3000);
    const r = results(t.drainOutputs());
    expect(r[0]).toMatchObject({ windowStart: 0, isFinal: true, version: 2, result: { clickCount: 2 } });
    expect(r[1]).toMatchObject({ windowStart: MIN, isFinal: false, version: 1 });
  });

  it('idle partition: the wall clock closes windows; later data re-emits them as a correction with version + 1', () => {
    const t = task({ wallClockAdvance: true, idleTimeoutMs: 10_000, outOfOrdernessMs: 5_000 });
    const log = new Log();
    t.tick(0);
    t.process(log.event({ ts: 1000 }));
    t.tick(9_999);
    expect(results(t.drainOutputs())).toEqual([]);
    t.tick(100_000); // idle: emission wm = 100000 - 5000 - 10000 = 85000 >= 60000
    expect(results(t.drainOutputs())).toEqual([
      expect.objectContaining({ windowStart: 0, isFinal: true, version: 1 }),
    ]);
    expect(t.watermarks).toEqual({ data: -4000, emit: 85_000 });
    t.process(log.event({ ts: 2000, eventType: 'VIEW' })); // not late by the data watermark: counts
    expect(results(t.drainOutputs())).toEqual([
      expect.objectContaining({
        windowStart: 0,
        isFinal: true,
        version: 2,
        result: { clickCount: 1, viewCount: 1 },
      }),
    ]);
  });

  it('data-anchored idle advance: event time flows on from the data instead of jumping to the present', () => {
    const t = task({ wallClockAdvance: true, idleTimeoutMs: 10_000, idleAdvanceMode: 'data-anchored' });
    const log = new Log();
    t.tick(1_700_000_000_000);
    t.process(log.event({ ts: 1000 })); // historical event time
    t.tick(1_700_000_060_000);
    expect(t.watermarks).toEqual({ data: -4000, emit: -4000 + 60_000 - 10_000 });
    expect(results(t.drainOutputs())).toEqual([]);
    t.tick(1_700_000_075_000); // -4000 + 75000 - 10000 = 61000 >= 60000
    expect(results(t.drainOutputs())).toEqual([expect.objectContaining({ windowStart: 0, isFinal: true })]);
    expect(() => task({ idleAdvanceMode: 'sometimes' as 'wall-clock' })).toThrow(
      /idleAdvanceMode must be one of wall-clock, data-anchored/,
    );
  });

  it('hopping windows: an event counts in each overlapping window', () => {
    const t = task({ window: new HoppingWindows({ sizeMs: MIN, advanceMs: 30_000 }) });
    const log = new Log();
    t.process(log.event({ ts: 45_000 }));
    t.process(log.event({ ts: 200_000 }));
    const r = latestByWindow(results(t.drainOutputs()));
    expect(r.map((x) => [x.windowStart, x.windowEnd, x.result.clickCount])).toEqual([
      [0, 60_000, 1],
      [30_000, 90_000, 1],
    ]);
  });

  it('versions only grow per window and the latest version equals the reference computation', () => {
    const events = messyEvents(7, 400);
    const t = task({
      allowedLatenessMs: 20_000,
      earlyUpdateIntervalMs: 5000,
      wallClockAdvance: true,
      idleTimeoutMs: 3000,
    });
    const log = new Log();
    const all: OutputRecord[] = [];
    let now = 0;
    for (const e of events) {
      t.process(e === 'malformed' ? log.raw(Buffer.from('garbage')) : log.event(e));
      now += 700;
      t.tick(now);
      all.push(...t.drainOutputs());
    }
    t.tick(now + 10_000_000_000_000); // all idle: wall clock flushes every window
    all.push(...t.drainOutputs());
    const rs = results(all);
    const lastVersion = new Map<string, number>();
    for (const r of rs) {
      const id = `${r.windowStart}|${r.key}`;
      expect(r.version).toBe((lastVersion.get(id) ?? 0) + 1);
      lastVersion.set(id, r.version);
    }
    const expected = referenceCounts([events], (e) => e.page, {
      sizeMs: MIN,
      boundMs: 5000,
      latenessMs: 20_000,
      ttlMs: 600_000,
    });
    expect(
      latestByWindow(rs).map((r) => ({
        key: r.key,
        windowStart: r.windowStart,
        windowEnd: r.windowEnd,
        ...r.result,
      })),
    ).toEqual(expected);
    expect(latestByWindow(rs).every((r) => r.isFinal)).toBe(true);
    expect(t.counters.late).toBeGreaterThan(0);
    expect(t.counters.duplicates).toBeGreaterThan(0);
    expect(t.counters.deadLettered).toBeGreaterThan(0);
  });

  it('snapshot at any point + restore + replay of the rest gives outputs identical to an uninterrupted run', () => {
    const events = messyEvents(11, 300);
    const log = new Log();
    const records = events.map((e) => (e === 'malformed' ? log.raw(Buffer.from('garbage')) : log.event(e)));
    const opts = { allowedLatenessMs: 10_000 };
    const refOut = runUninterrupted(task(opts), records);
    for (const cut of [0, 1, 57, 150, 299, 300]) {
      const out = runWithRestart(() => task(opts), records, cut, 13);
      expect(out).toEqual(refOut);
    }
  });

  it('a changelog written by the previous version (format 1) restores to the same outputs', () => {
    const records = messyRecords(11, 300);
    const refOut = runUninterrupted(task({ allowedLatenessMs: 10_000 }), records);
    for (const cut of [1, 57, 150, 300]) {
      expect(
        runWithRestart(
          () => task({ allowedLatenessMs: 10_000 }),
          records,
          cut,
          13,
          (c) => changelogToV1(c),
        ),
      ).toEqual(refOut);
    }
  });

  it('exposes state size and evicts windows and dedup ids once the watermark passes', () => {
    const t = task({ dedupTtlMs: 60_000 });
    const log = new Log();
    for (let i = 0; i < 5; i++) t.process(log.event({ ts: 1000 + i, page: `/p${i}` }));
    t.drainChangelog();
    expect(t.stateSize['windowed-windows']!.entries).toBe(5);
    expect(t.stateSize['windowed-windows']!.approxBytes).toBeGreaterThan(0);
    expect(t.stateSize['windowed-dedup']!.entries).toBe(5);
    t.process(log.event({ ts: 70_000 }));
    expect(t.stateSize['windowed-windows']!.entries).toBe(1);
    expect(t.stateSize['windowed-dedup']!.entries).toBe(1);
    const tombstones = t.drainChangelog().filter((e) => e.value === null);
    // 5 windows + 1 dedup chunk (the 5 ids share one 50 ms event-time bucket at a 60 s TTL)
    expect(tombstones.filter((e) => e.store === 'windowed-windows')).toHaveLength(5);
    expect(tombstones.filter((e) => e.store === 'windowed-dedup')).toHaveLength(1);
    expect(t.stores).toEqual(['windowed-progress', 'windowed-dedup', 'windowed-windows']);
  });

  it('rejects bad options at construction, naming the option', () => {
    expect(() => task({ allowedLatenessMs: -5 })).toThrow(/allowedLatenessMs must be a non-negative integer/);
    expect(() => task({ window: new SessionWindows({ gapMs: 10 }) })).toThrow(
      /window must be tumbling or hopping/,
    );
    expect(() => task({ storePrefix: 'a b' })).toThrow(/storePrefix must match/);
    expect(() => task({ earlyUpdateIntervalMs: 1.5 })).toThrow(/earlyUpdateIntervalMs/);
    expect(() => task({ outputs: { late: '' } })).toThrow(/outputs.late/);
    expect(() => task({ maxKeysPerWindow: -1 })).toThrow(/maxKeysPerWindow must be a positive integer/);
    expect(() => task({ maxDedupEntries: 0 })).toThrow(/maxDedupEntries must be a positive integer/);
  });

  it('maxKeysPerWindow: a new key in a full window is dead-lettered, known keys and other windows still count', () => {
    const t = task({ maxKeysPerWindow: 2 });
    const log = new Log('events', 4);
    t.process(log.event({ id: 'a', page: '/a', ts: 1_000 }));
    t.process(log.event({ id: 'b', page: '/b', ts: 2_000 }));
    t.process(log.event({ id: 'c', page: '/c', ts: 3_000 }));
    t.process(log.event({ id: 'd', page: '/a', ts: 4_000 }));
    t.process(log.event({ id: 'e', page: '/c', ts: 70_000 })); // wm 65 000: window 0 closes and is purged
    t.process(log.event({ id: 'f', page: '/d', ts: 71_000 }));
    t.process(log.event({ id: 'g', page: '/e', ts: 72_000 })); // window 60 000 holds /c and /d
    expect(t.counters).toMatchObject({ accepted: 5, deadLettered: 2, limited: 2 });
    const outs = t.drainOutputs();
    expect(
      outs
        .filter((o) => o.output === 'dead-letter')
        .map((o) => [o.headers[SIDE_OUTPUT_HEADERS.errorCode], o.headers[SIDE_OUTPUT_HEADERS.errorReason]]),
    ).toEqual([
      [
        'TRIB_PROC_WINDOW_KEY_LIMIT',
        'window [0, 60000) of partition 4 already holds 2 distinct keys (maxKeysPerWindow)',
      ],
      [
        'TRIB_PROC_WINDOW_KEY_LIMIT',
        'window [60000, 120000) of partition 4 already holds 2 distinct keys (maxKeysPerWindow)',
      ],
    ]);
    expect(results(outs).map((r) => [r.key, r.result.clickCount])).toEqual([
      ['/a', 2],
      ['/b', 1],
    ]);
  });

  it('at the key and dedup caps, a snapshot + restore anywhere gives outputs identical to an uninterrupted run', () => {
    const events = messyEvents(23, 400);
    const log = new Log();
    const records = events.map((e) => (e === 'malformed' ? log.raw(Buffer.from('garbage')) : log.event(e)));
    const opts = { maxKeysPerWindow: 3, maxDedupEntries: 25 };
    const first = task(opts);
    const refOut = runUninterrupted(first, records);
    expect(first.counters.limited).toBeGreaterThan(10);
    expect(first.counters.dedupEvictions).toBeGreaterThan(10);
    expect(first.counters.duplicates).toBeGreaterThan(0);
    expect(refOut.filter((o) => o.output === 'dead-letter').length).toBe(first.counters.deadLettered);
    for (const cut of [1, 57, 150, 222, 399]) {
      const out = runWithRestart(() => task(opts), records, cut, 13);
      expect(out).toEqual(refOut);
    }
  });
});
