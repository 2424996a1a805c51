import { describe, expect, it } from 'vitest';
import { clickstreamAggregator } from '../../src/aggregate/clickstream.js';
import { ENGINE_DEFAULTS } from '../../src/engine/options.js';
import { PartialAggregationTask } from '../../src/engine/partial-aggregation-task.js';
import { decodeRepartitionRecord } from '../../src/engine/repartition-format.js';
import { SIDE_OUTPUT_HEADERS } from '../../src/engine/side-outputs.js';
import type { ChangelogEntry, OutputRecord } from '../../src/task/partition-task.js';
import { HoppingWindows } from '../../src/windows/hopping.js';
import { decodeTestEvent, Log, messyEvents, type TestEvent } from './fixtures.js';
import { changelogToV1 } from './format-1.js';
import { runWithRestart } from './restart.js';
import { TwoStage } from './two-stage.js';

describe('PartialAggregationTask', () => {
  it('asks for an early commit once its watermark passes the end of a window it holds partials of', () => {
    const s = new TwoStage(1, 1);
    const t = s.partials[0]!;
    s.feed(0, { id: 'a', user: 'u', page: '/x', ts: 1000, eventType: 'CLICK' });
    expect(t.commitRequested()).toBe(false); // no watermark record sent yet: the interval's first commit sends one
    s.commit(0);
    s.feed(0, { id: 'b', user: 'u', page: '/x', ts: 30_000, eventType: 'CLICK' });
    expect(t.commitRequested()).toBe(false); // the watermark moved, but no window ended
    s.feed(0, { id: 'c', user: 'u', page: '/y', ts: 66_000, eventType: 'CLICK' });
    expect(t.commitRequested()).toBe(true); // watermark 61 000 passed the end of [0, 60 000)
    const merge = s.merges[0]!;
    for (const out of t.drainOutputs()) merge.process(s.repartition[0]!.raw(out.value, out.key));
    expect(t.commitRequested()).toBe(false);
    expect(merge.commitRequested()).toBe(true); // the merge fired [0, 60 000): its results should go out now
    expect(merge.drainOutputs().length).toBeGreaterThan(0);
    expect(merge.commitRequested()).toBe(false);
  });

  it('emits cumulative partials for changed (key, window) at each drain, then a broadcast watermark', () => {
    const s = new TwoStage(1, 1);
    const t = s.partials[0]!;
    s.feed(0, { id: 'a', user: 'u', page: '/x', ts: 1000, eventType: 'CLICK' });
    s.feed(0, { id: 'b', user: 'u', page: '/x', ts: 2000, eventType: 'VIEW' });
    s.feed(0, { id: 'c', user: 'u', page: '/y', ts: 3000, eventType: 'VIEW' });
    let outs = t.drainOutputs();
    expect(outs.map((o) => o.destination.kind)).toEqual(['by-key', 'by-key', 'broadcast']);
    expect(outs[0]!.key!.toString()).toBe('/x');
    const p0 = decodeRepartitionRecord(outs[0]!.value);
    expect(p0).toMatchObject({
      type: 'partial',
      upstreamPartition: 0,
      key: '/x',
      windowStart: 0,
      windowEnd: 60_000,
    });
    expect(decodeRepartitionRecord(outs[2]!.value)).toEqual({
      type: 'watermark',
      upstreamPartition: 0,
      watermark: -2000,
      idle: false,
    });
    s.feed(0, { id: 'd', user: 'u', page: '/x', ts: 4000, eventType: 'CLICK' });
    outs = t.drainOutputs();
    expect(outs).toHaveLength(2); // only /x changed
    const cumulative = decodeRepartitionRecord(outs[0]!.value);
    expect(cumulative.type === 'partial' && [...cumulative.accumulator]).toEqual([
      ...Buffer.from([64, 0, 0, 0, 0, 0, 0, 0, 63, 240, 0, 0, 0, 0, 0, 0]), // clicks 2, views 1 (float64 BE)
    ]);
  });

  it('drops partials once their window can no longer change, and reports idleness', () => {
    const s = new TwoStage(1, 1, { idleTimeoutMs: 1000 });
    const t = s.partials[0]!;
    s.feed(0, { id: 'a', user: 'u', page: '/x', ts: 1000, eventType: 'CLICK' });
    t.drainOutputs();
    expect(t.stateSize['partial-partials']!.entries).toBe(1);
    s.feed(0, { id: 'b', user: 'u', page: '/x', ts: 66_000, eventType: 'CLICK' });
    t.drainOutputs();
    expect(t.stateSize['partial-partials']!.entries).toBe(1); // only the new window remains
    expect(
      t
        .drainChangelog()
        .filter((e) => e.value === null)
        .map((e) => e.key),
    ).toEqual(['0:60000:/x']);
    t.tick(0);
    t.tick(1000);
    const wm = t.drainOutputs().at(-1)!;
    expect(decodeRepartitionRecord(wm.value)).toMatchObject({
      type: 'watermark',
      idle: true,
      watermark: 61_000,
    });
  });

  it('applies the event-time contract: dead-letter, late, duplicate', () => {
    const s = new TwoStage(1, 1);
    s.feed(0, 'malformed');
    s.feed(0, { id: 'a', user: 'u', page: '/x', ts: 100_000, eventType: 'CLICK' });
    s.feed(0, { id: 'a', user: 'u', page: '/x', ts: 100_000, eventType: 'CLICK' });
    s.feed(0, { id: 'b', user: 'u', page: '/x', ts: 1_000, eventType: 'CLICK' });
    expect(s.partials[0]!.counters).toMatchObject({ accepted: 1, duplicates: 1, late: 1, deadLettered: 1 });
    s.commit(0);
    expect(s.side.map((o) => o.output)).toEqual(['dead-letter', 'late']);
  });

  it('restore from the last commit + replay of the rest gives the same repartition records', () => {
    const events = messyEvents(17, 240);
    const log = new Log();
    const records = events.map((e) => (e === 'malformed' ? log.raw(Buffer.from('x')) : log.event(e)));
    const make = () => new TwoStage(1, 1).partials[0]!;
    const run = (
      t: ReturnType<typeof make>,
      from: number,
      to: number,
      out: OutputRecord[],
      log?: ChangelogEntry[],
    ) => {
      for (let i = from; i < to; i++) {
        t.process(records[i]!);
        if (i % 10 === 9) {
          out.push(...t.drainOutputs());
          log?.push(...t.drainChangelog());
        }
      }
    };
    const refOut: OutputRecord[] = [];
    run(make(), 0, records.length, refOut);
    for (const cut of [0, 50, 120, 240]) {
      const out: OutputRecord[] = [];
      const changelog: ChangelogEntry[] = [];
      run(make(), 0, cut, out, changelog);
      const b = make();
      b.restore(changelog);
      run(b, cut, records.length, out);
      expect(out).toEqual(refOut);
    }
  });

  it('a changelog written by the previous version (format 1) restores to the same repartition records', () => {
    const events = messyEvents(17, 240);
    const log = new Log();
    const records = events.map((e) => (e === 'malformed' ? log.raw(Buffer.from('x')) : log.event(e)));
    const make = () => new TwoStage(1, 1).partials[0]!;
    for (const cut of [1, 50, 120, 240]) {
      const restored = runWithRestart(make, records, cut, 10);
      expect(runWithRestart(make, records, cut, 10, (c) => changelogToV1(c))).toEqual(restored);
    }
  });

  it('sends a watermark record only when it or the idle flag changed, plus a heartbeat while active', () => {
    const s = new TwoStage(1, 1, { idleTimeoutMs: 10_000, watermarkHeartbeatMs: 1_000 });
    const t = s.partials[0]!;
    const watermarks = () =>
      t
        .drainOutputs()
        .map((o) => decodeRepartitionRecord(o.value))
        .filter((r) => r.type === 'watermark');
    t.tick(0);
    expect(watermarks()).toHaveLength(1); // the first drain always reports
    t.tick(200);
    expect(watermarks()).toEqual([]); // nothing changed
    s.feed(0, { id: 'a', user: 'u', page: '/x', ts: 10_000, eventType: 'CLICK' });
    t.tick(400);
    expect(watermarks()).toMatchObject([{ watermark: 5_000, idle: false }]);
    s.feed(0, { id: 'b', user: 'u', page: '/x', ts: 9_000, eventType: 'CLICK' }); // watermark unchanged
    t.tick(600);
    expect(watermarks()).toEqual([]);
    t.tick(1_400);
    expect(watermarks()).toMatchObject([{ watermark: 5_000, idle: false }]); // heartbeat
    t.tick(10_600);
    expect(watermarks()).toMatchObject([{ watermark: 5_000, idle: true }]); // idle flag changed
    t.tick(20_000);
    expect(watermarks()).toEqual([]); // idle: silent
    expect(t.drainChangelog()).toEqual([
      expect.objectContaining({ store: 'partial-progress' }),
      expect.objectContaining({ store: 'partial-dedup' }),
      expect.objectContaining({ store: 'partial-dedup' }),
      expect.objectContaining({ store: 'partial-partials' }),
    ]);
    t.tick(30_000);
    expect(t.drainChangelog()).toEqual([]); // idle: no checkpoint churn either
  });

  it('caps the heartbeat at half the idle timeout', () => {
    const s = new TwoStage(1, 1, { idleTimeoutMs: 1_000, watermarkHeartbeatMs: 60_000 });
    const t = s.partials[0]!;
    t.tick(0);
    s.feed(0, { id: 'a', user: 'u', page: '/x', ts: 10_000, eventType: 'CLICK' });
    t.drainOutputs();
    t.tick(500);
    expect(t.drainOutputs().map((o) => decodeRepartitionRecord(o.value).type)).toEqual(['watermark']);
  });

  it('emits exactly the accepted events on the acceptedEvents output, in the same drain as their partials', () => {
    const events = messyEvents(5, 200);
    const accepted: string[] = [];
    const s = new TwoStage(1, 1, {
      acceptedEvents: {
        output: 'enriched',
        encode: (e, record) => ({
          key: Buffer.from(e.id),
          value: Buffer.from(JSON.stringify({ ...e, offset: record.offset })),
        }),
      },
    });
    const t = s.partials[0]!;
    let clicksAndViews = 0;
    const latest = new Map<string, number>();
    for (const e of events) {
      s.feed(0, e);
      for (const o of t.drainOutputs()) {
        if (o.output === 'enriched') {
          expect(o.destination).toEqual({ kind: 'by-key' });
          accepted.push(o.key!.toString());
        } else if (o.output === 'repartition') {
          const r = decodeRepartitionRecord(o.value);
          if (r.type === 'partial') {
            latest.set(
              `${r.key}@${r.windowStart}`,
              r.accumulator.readDoubleBE(0) + r.accumulator.readDoubleBE(8),
            );
          }
        }
      }
    }
    for (const n of latest.values()) clicksAndViews += n;
    const counters = t.counters;
    expect(counters.duplicates + counters.late + counters.deadLettered).toBeGreaterThan(0);
    expect(accepted).toHaveLength(counters.accepted);
    expect(new Set(accepted).size).toBe(accepted.length); // no duplicate indexed
    expect(clicksAndViews).toBe(counters.accepted); // what is indexed equals what is counted
  });

  it('validates options', () => {
    expect(() => new TwoStage(1, 1, { watermarkHeartbeatMs: 0 })).toThrow(
      /watermarkHeartbeatMs must be a positive integer/,
    );
    expect(
      () =>
        new TwoStage(1, 1, {
          acceptedEvents: { output: '', encode: () => ({ key: null, value: Buffer.alloc(0) }) },
        }),
    ).toThrow(/acceptedEvents.output/);
    expect(() => new TwoStage(1, 1, { inputPartition: -1 })).toThrow(
      /inputPartition must be a non-negative integer/,
    );
    expect(() => new TwoStage(1, 1, { maxKeysPerWindow: 0 })).toThrow(
      /maxKeysPerWindow must be a positive integer \(got 0\)/,
    );
    expect(() => new TwoStage(1, 1, { maxDedupEntries: 1.5 })).toThrow(
      /maxDedupEntries must be a positive integer \(got 1.5\)/,
    );
  });
});

describe('PartialAggregationTask at maxKeysPerWindow', () => {
  const partials = (outs: OutputRecord[]) =>
    outs
      .filter((o) => o.output === 'repartition')
      .map((o) => decodeRepartitionRecord(o.value))
      .flatMap((r) => (r.type === 'partial' ? [`${r.key}@${r.windowStart}`] : []));

  it('dead-letters an accepted event whose key would be one too many in its window; known keys still count', () => {
    expect(ENGINE_DEFAULTS.maxKeysPerWindow).toBe(100_000);
    const s = new TwoStage(2, 1, { maxKeysPerWindow: 2 });
    const t = s.partials[1]!;
    s.feed(1, { id: 'a', user: 'u', page: '/a', ts: 1_000, eventType: 'CLICK' });
    s.feed(1, { id: 'b', user: 'u', page: '/b', ts: 2_000, eventType: 'CLICK' });
    s.feed(1, { id: 'c', user: 'u', page: '/c', ts: 3_000, eventType: 'VIEW' }); // a third key in [0, 60000)
    s.feed(1, { id: 'c', user: 'u', page: '/a', ts: 3_000, eventType: 'VIEW' }); // its id was remembered
    s.feed(1, { id: 'd', user: 'u', page: '/a', ts: 4_000, eventType: 'VIEW' }); // a known key counts
    s.feed(1, { id: 'e', user: 'u', page: '/c', ts: 61_000, eventType: 'VIEW' }); // another window: room
    s.feed(0, { id: 'f', user: 'u', page: '/c', ts: 5_000, eventType: 'VIEW' }); // another partition: room
    expect(t.counters).toMatchObject({ accepted: 4, duplicates: 1, deadLettered: 1, limited: 1 });
    const outs = t.drainOutputs();
    expect(partials(outs)).toEqual(['/a@0', '/b@0', '/c@60000']);
    const dlq = outs.filter((o) => o.output === 'dead-letter');
    expect(dlq).toHaveLength(1);
    expect(dlq[0]!.headers).toMatchObject({
      [SIDE_OUTPUT_HEADERS.errorCode]: 'TRIB_PROC_WINDOW_KEY_LIMIT',
      [SIDE_OUTPUT_HEADERS.errorReason]:
        'window [0, 60000) of partition 1 already holds 2 distinct keys (maxKeysPerWindow)',
      [SIDE_OUTPUT_HEADERS.sourceOffset]: '2',
    });
    expect(JSON.parse(dlq[0]!.value!.toString())).toMatchObject({ id: 'c', page: '/c' }); // the original record
    expect(s.partials[0]!.counters).toMatchObject({ accepted: 1, limited: 0 });
  });

  it('a window closed and purged frees nothing for itself (its events are late) and each window counts its own', () => {
    const s = new TwoStage(1, 1, { maxKeysPerWindow: 1 });
    const t = s.partials[0]!;
    s.feed(0, { id: 'a', user: 'u', page: '/a', ts: 1_000, eventType: 'CLICK' });
    s.feed(0, { id: 'b', user: 'u', page: '/b', ts: 70_000, eventType: 'CLICK' }); // wm 65 000: window 0 closed
    t.drainOutputs(); // purges window 0
    s.feed(0, { id: 'c', user: 'u', page: '/c', ts: 2_000, eventType: 'CLICK' });
    s.feed(0, { id: 'd', user: 'u', page: '/c', ts: 71_000, eventType: 'CLICK' });
    expect(t.counters).toMatchObject({ accepted: 2, late: 1, limited: 1 });
  });

  it('hopping windows: an event is refused as a whole when any of its windows is full', () => {
    const t = new PartialAggregationTask<TestEvent, { clickCount: number; viewCount: number }, unknown>({
      inputPartition: 0,
      decode: decodeTestEvent,
      timestampOf: (e) => e.ts,
      keyOf: (e) => e.page,
      eventIdOf: (e) => e.id,
      window: new HoppingWindows({ sizeMs: 60_000, advanceMs: 30_000 }),
      aggregator: clickstreamAggregator<TestEvent>(),
      maxKeysPerWindow: 1,
    });
    const log = new Log();
    t.process(log.event({ page: '/a', ts: 10_000 })); // windows [-30000, 30000) and [0, 60000)
    t.process(log.event({ page: '/b', ts: 40_000 })); // [0, 60000) holds /a: refused, [30000, 90000) untouched
    t.process(log.event({ page: '/b', ts: 65_000 })); // [30000, 90000) and [60000, 120000): both empty
    expect(t.counters).toMatchObject({ accepted: 2, limited: 1 });
    expect(partials(t.drainOutputs())).toEqual(['/a@-30000', '/a@0', '/b@30000', '/b@60000']);
  });

  it('restore from a commit + replay of the rest gives the same outputs and dead letters as one run', () => {
    const r = (() => {
      let a = 99;
      return () => (a = (a * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    })();
    const log = new Log();
    const records = Array.from({ length: 600 }, (_, i) =>
      i % 50 === 7
        ? log.raw(Buffer.from('x'))
        : log.event({
            id: `e${Math.floor(r() * 500)}`, // duplicates too
            page: `/p${Math.floor(r() * 12)}`,
            ts: 1_000_000 + i * 400 - Math.floor(r() * 8_000),
          }),
    );
    const make = () => new TwoStage(1, 1, { maxKeysPerWindow: 5 }).partials[0]!;
    const run = (cuts: readonly number[]) => {
      const crashes = new Set(cuts);
      const out: OutputRecord[] = [];
      let t = make();
      let changelog: ChangelogEntry[] = [];
      let committed = 0;
      let pending: OutputRecord[] = [];
      for (let i = 0; i < records.length;) {
        if (crashes.delete(i)) {
          // A crash: what was not committed is lost; a new task restores the changelog and replays from the commit.
          t = make();
          t.restore(changelog);
          pending = [];
          i = committed;
          continue;
        }
        t.process(records[i]!);
        pending.push(...t.drainOutputs());
        if (i % 13 === 12) {
          out.push(...pending);
          pending = [];
          changelog = [...changelog, ...t.drainChangelog()];
          committed = i + 1;
        }
        i++;
      }
      return [...out, ...pending];
    };
    const uninterrupted = run([]);
    const codes = uninterrupted
      .filter((o) => o.output === 'dead-letter')
      .map((o) => o.headers[SIDE_OUTPUT_HEADERS.errorCode]);
    expect(codes.filter((c) => c === 'TRIB_PROC_WINDOW_KEY_LIMIT').length).toBeGreaterThan(20);
    expect(codes.filter((c) => c === 'TEST_DECODE').length).toBeGreaterThan(5);
    // A restored task announces its watermark at its first drain even when unchanged: compare everything else.
    const described = (outs: OutputRecord[]) =>
      outs.flatMap((o): object[] => {
        if (o.output !== 'repartition') return [{ output: o.output, value: o.value, headers: o.headers }];
        const r = decodeRepartitionRecord(o.value);
        return r.type === 'partial' ? [{ ...r, accumulator: [...r.accumulator] }] : [];
      });
    for (const cuts of [[5], [100, 101], [250, 400, 599]])
      expect(described(run(cuts))).toEqual(described(uninterrupted));
  });
});
