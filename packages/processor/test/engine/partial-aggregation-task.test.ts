import { describe, expect, it } from 'vitest';
import { decodeRepartitionRecord } from '../../src/engine/repartition-format.js';
import type { ChangelogEntry, OutputRecord } from '../../src/task/partition-task.js';
import { Log, messyEvents } from './fixtures.js';
import { TwoStage } from './two-stage.js';

describe('PartialAggregationTask', () => {
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
  });
});
