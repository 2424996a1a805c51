import { describe, expect, it } from 'vitest';
import { SIDE_OUTPUT_HEADERS } from '../../src/engine/side-outputs.js';
import { decodeTestEvent as decode, messyEvents, rng, type TestEvent } from './fixtures.js';
import {
  conversions,
  interleave,
  newJoin,
  referenceConversions,
  runJoin,
  runJoinWithCrash,
  sideStream,
  sourceLog,
} from './join-fixtures.js';

const ev = (id: string, user: string, ts: number): TestEvent => ({
  id,
  user,
  ts,
  page: '/',
  eventType: 'CLICK',
});

/** Messy logs of `partitions` partitions, ids made unique per side and partition. */
function messyLogs(prefix: string, partitions: number, seed: number, count: number) {
  return Array.from({ length: partitions }, (_, p) =>
    messyEvents(seed + p, count).map((e) => (e === 'malformed' ? e : { ...e, id: `${prefix}${p}.${e.id}` })),
  );
}

describe('IntervalJoinTask', () => {
  it('joins a click and an order of the same user within [lower, upper], bounds included', () => {
    const clicks = sideStream(
      'left',
      [sourceLog('clicks', 0, [ev('c1', 'a', 1000), ev('c2', 'b', 2000), ev('c3', 'a', 20_000)])],
      1,
    );
    const orders = sideStream(
      'right',
      [
        sourceLog('orders', 0, [
          ev('o1', 'a', 5000),
          ev('o2', 'a', 500),
          ev('o3', 'b', 12_000),
          ev('o4', 'a', 25_000),
        ]),
      ],
      2,
    );
    const out = runJoin(newJoin(), interleave([...clicks.streams, ...orders.streams], 3));
    expect(conversions(out)).toEqual(['c1>o1@a', 'c2>o3@b', 'c3>o4@a']);
    const result = out.find((o) => o.output === 'results')!;
    expect(result.destination).toEqual({ kind: 'by-key' });
  });

  it('keys results by the join key and stamps them with the commit time, unless told otherwise', () => {
    const clicks = sideStream('left', [sourceLog('clicks', 0, [ev('c1', 'a', 1000)])], 1);
    const orders = sideStream('right', [sourceLog('orders', 0, [ev('o1', 'a', 5000)])], 2);
    const records = interleave([...clicks.streams, ...orders.streams], 3);
    const byDefault = runJoin(newJoin(), records).find((o) => o.output === 'results')!;
    expect([byDefault.key!.toString('utf8'), byDefault.timestamp, byDefault.eventTime]).toEqual([
      'a',
      undefined,
      5000,
    ]);
    const keyed = runJoin(
      newJoin({
        resultKeyOf: (c, user) => `${c.order}|${user}`,
        eventTimeTimestamps: true,
      }),
      records,
    ).find((o) => o.output === 'results')!;
    expect([keyed.key!.toString('utf8'), keyed.timestamp, keyed.eventTime]).toEqual(['o1|a', 5000, 5000]);
  });

  it('dead-letters the record completing a pair its joiner or result key fails on, and joins on', () => {
    const clicks = sideStream(
      'left',
      [sourceLog('clicks', 0, [ev('c1', 'a', 1000), ev('c2', 'a', 1500)])],
      1,
    );
    const orders = sideStream('right', [sourceLog('orders', 0, [ev('o1', 'a', 5000)])], 2);
    // The order arrives last: it completes both pairs.
    const records = interleave([[...clicks.streams[0]!, ...orders.streams[0]!]], 3);
    const out = runJoin(
      newJoin({
        joiner: (click, order, user) => {
          if (click.id === 'c1') throw new Error('no c1');
          return { click: click.id, order: order.id, user };
        },
      }),
      records,
    );
    expect(conversions(out)).toEqual(['c2>o1@a']);
    const dead = out.filter((o) => o.output === 'dead-letter');
    expect(dead.map((d) => d.headers[SIDE_OUTPUT_HEADERS.errorCode])).toEqual(['TRIB_PROC_TRANSFORM_FAILED']);
    expect(dead.map((d) => d.headers[SIDE_OUTPUT_HEADERS.errorReason])).toEqual([
      'joiner failed on this event and the left event at 1000: no c1',
    ]);
    const badKey = runJoin(newJoin({ resultKeyOf: () => 42 as unknown as string }), records);
    expect(conversions(badKey)).toEqual([]);
    expect(badKey.filter((o) => o.output === 'dead-letter')).toHaveLength(2);
  });

  it('joins with a negative lower bound (an order before the click)', () => {
    const clicks = sideStream('left', [sourceLog('clicks', 0, [ev('c1', 'a', 10_000)])], 1);
    const orders = sideStream(
      'right',
      [sourceLog('orders', 0, [ev('o1', 'a', 7000), ev('o2', 'a', 4000)])],
      2,
    );
    const out = runJoin(
      newJoin({ lowerMs: -5000, upperMs: 0 }),
      interleave([...clicks.streams, ...orders.streams], 3),
    );
    expect(conversions(out)).toEqual(['c1>o1@a']);
  });

  it('sends late and undecodable records of either side to late and dead-letter, in the side tasks', () => {
    const clicks = sideStream(
      'left',
      [sourceLog('clicks', 0, [ev('c1', 'a', 20_000), ev('c0', 'a', 100), 'malformed'])],
      1,
    );
    const orders = sideStream(
      'right',
      [sourceLog('orders', 0, [ev('o1', 'a', 30_000), ev('o0', 'a', 101)])],
      2,
    );
    const side = [...clicks.sideOutputs, ...orders.sideOutputs];
    expect(
      side.filter((o) => o.output === 'late').map((o) => o.headers[SIDE_OUTPUT_HEADERS.sourceTopic]),
    ).toEqual(['clicks', 'orders']);
    const dead = side.filter((o) => o.output === 'dead-letter');
    expect(dead.map((o) => o.headers[SIDE_OUTPUT_HEADERS.errorCode])).toEqual(['TEST_DECODE']);
    const out = runJoin(newJoin(), interleave([...clicks.streams, ...orders.streams], 3));
    expect(conversions(out)).toEqual(['c1>o1@a']);
  });

  it('dead-letters a record that is not a join record', () => {
    const task = newJoin();
    task.process({
      topic: 'rp',
      partition: 0,
      offset: 0,
      timestamp: 1,
      key: null,
      value: Buffer.from('x'),
      headers: {},
    });
    const [dead] = task.drainOutputs();
    expect(dead!.output).toBe('dead-letter');
    expect(dead!.headers[SIDE_OUTPUT_HEADERS.errorCode]).toBe('TRIB_PROC_REPARTITION_RECORD_INVALID');
  });

  it('gives the same conversions for any interleaving of the two sides and any commit schedule', () => {
    const clicks = messyLogs('c', 3, 100, 150);
    const orders = messyLogs('o', 2, 200, 150);
    const o = { boundMs: 2000, latenessMs: 1000, lowerMs: 0, upperMs: 15_000 };
    const expected = referenceConversions(clicks, orders, o);
    expect(expected.length).toBeGreaterThan(100);
    const sideOpts = { outOfOrdernessMs: o.boundMs, allowedLatenessMs: o.latenessMs };
    const join = () =>
      newJoin({
        lowerMs: o.lowerMs,
        upperMs: o.upperMs,
        left: { decode, allowedLatenessMs: o.latenessMs },
        right: { decode, allowedLatenessMs: o.latenessMs },
      });
    for (let seed = 1; seed <= 40; seed++) {
      const left = sideStream(
        'left',
        clicks.map((events, p) => sourceLog('clicks', p, events)),
        seed,
        sideOpts,
      );
      const right = sideStream(
        'right',
        orders.map((events, p) => sourceLog('orders', p, events)),
        seed + 1000,
        sideOpts,
      );
      const records = interleave([...left.streams, ...right.streams], seed + 2000);
      const task = join();
      expect(conversions(runJoin(task, records)), `seed ${seed}`).toEqual(expected);
      // Eviction: the buffers hold only what the other side's watermark still allows to match.
      expect(task.bufferedRecords).toBeLessThan(150); // of about 700 events
    }
  });

  it('gives the same conversions after a crash and a restore from the changelog, wherever it happens', () => {
    const clicks = messyLogs('c', 2, 300, 120);
    const orders = messyLogs('o', 2, 400, 120);
    const o = { boundMs: 2000, latenessMs: 0, lowerMs: -1000, upperMs: 20_000 };
    const expected = referenceConversions(clicks, orders, o);
    const sideOpts = { outOfOrdernessMs: o.boundMs };
    const left = sideStream(
      'left',
      clicks.map((events, p) => sourceLog('clicks', p, events)),
      7,
      sideOpts,
    );
    const right = sideStream(
      'right',
      orders.map((events, p) => sourceLog('orders', p, events)),
      8,
      sideOpts,
    );
    const records = interleave([...left.streams, ...right.streams], 9);
    const r = rng(10);
    for (let i = 0; i < 25; i++) {
      const crashAt = Math.floor(r() * records.length);
      const out = runJoinWithCrash(
        () => newJoin({ lowerMs: o.lowerMs, upperMs: o.upperMs }),
        records,
        crashAt,
        i,
      );
      expect(conversions(out), `crash at ${crashAt}`).toEqual(expected);
    }
  });

  it('skips an event replayed by its side (at-least-once) and a repartition record at or below its offset', () => {
    const clicks = sideStream('left', [sourceLog('clicks', 0, [ev('c1', 'a', 1000)])], 1);
    const orders = sideStream('right', [sourceLog('orders', 0, [ev('o1', 'a', 2000)])], 2);
    const records = interleave([...clicks.streams, ...orders.streams, ...clicks.streams], 3);
    const task = newJoin();
    const out = runJoin(task, [...records, records[0]!]);
    expect(conversions(out)).toEqual(['c1>o1@a']);
    expect(task.counters.skippedReplays).toBe(clicks.streams[0]!.filter((v) => v[1] === 3).length + 1);
  });

  it('drops a buffered event once the other side can no longer send a match', () => {
    // upper 10 s, L = 0: a click at 1 s is dropped once the orders' watermark reaches 1 s + 10 s + 1 ms.
    const task = newJoin();
    const clicks = sideStream('left', [sourceLog('clicks', 0, [ev('c1', 'a', 1000)])], 1);
    runJoin(task, interleave(clicks.streams, 1));
    expect(task.bufferedRecords).toBe(1);
    const early = sideStream('right', [sourceLog('orders', 0, [ev('o1', 'b', 11_000)])], 1);
    runJoin(
      task,
      interleave(early.streams, 1).map((r) => ({ ...r, offset: r.offset + 10 })),
    );
    expect(task.bufferedRecords).toBe(2); // wm 11 000 < 11 001: an order at 11 000 can still come
    const late = sideStream(
      'right',
      [sourceLog('orders', 0, [ev('o1', 'b', 11_000), ev('o2', 'b', 11_001)])],
      1,
    );
    runJoin(
      task,
      interleave(late.streams, 1).map((r) => ({ ...r, offset: r.offset + 20 })),
    );
    expect(task.watermarkOf('right')).toBe(11_001);
    expect(task.bufferedRecords).toBe(2); // c1 dropped; o1 and o2 wait for clicks
    expect(task.counters.evicted).toBe(1);
  });

  it('waits for every partition of a side before dropping the other side’s events', () => {
    const task = newJoin();
    const clicks = sideStream('left', [sourceLog('clicks', 0, [ev('c1', 'a', 1000)])], 1);
    // Partition 1 of the orders topic has not reported yet: it holds the orders' watermark at −∞.
    const orders = sideStream(
      'right',
      [sourceLog('orders', 0, [ev('o9', 'b', 90_000)]), sourceLog('orders', 1, [ev('o8', 'c', 50_000)])],
      2,
    );
    runJoin(task, interleave([...clicks.streams, orders.streams[0]!], 3));
    expect(task.watermarkOf('right')).toBe(Number.NEGATIVE_INFINITY);
    expect(task.bufferedRecords).toBe(2);
    runJoin(
      task,
      interleave([orders.streams[1]!], 3).map((r) => ({ ...r, offset: r.offset + 100 })),
    );
    expect(task.watermarkOf('right')).toBe(50_000);
    expect(task.counters.evicted).toBe(1); // c1; the orders wait for clicks
    expect(task.bufferedRecords).toBe(2);
  });

  it('holds a bounded buffer over a long stream', () => {
    const steady = (prefix: string, shift: number) =>
      Array.from({ length: 3000 }, (_, i) => ev(`${prefix}${i}`, `u${i % 5}`, i * 1000 + shift));
    const clicks = sideStream('left', [sourceLog('clicks', 0, steady('c', 0))], 1);
    const orders = sideStream('right', [sourceLog('orders', 0, steady('o', 500))], 2);
    const task = newJoin();
    let max = 0;
    for (const record of interleave([...clicks.streams, ...orders.streams], 3)) {
      task.process(record);
      task.drainOutputs();
      max = Math.max(max, task.bufferedRecords);
    }
    expect(task.counters.joined).toBeGreaterThan(5000);
    expect(max).toBeLessThan(200); // of 6000 events
  });

  it('dead-letters an event it would buffer beyond maxBufferedRecords, naming the source record', () => {
    const task = newJoin({ maxBufferedRecords: 2 });
    const clicks = sideStream(
      'left',
      [sourceLog('clicks', 0, [ev('c1', 'a', 1), ev('c2', 'a', 2), ev('c3', 'a', 3)])],
      1,
    );
    const out = runJoin(task, interleave(clicks.streams, 1));
    const dead = out.filter((o) => o.output === 'dead-letter');
    expect(dead).toHaveLength(1);
    expect(dead[0]!.headers[SIDE_OUTPUT_HEADERS.errorCode]).toBe('TRIB_PROC_JOIN_BUFFER_LIMIT');
    expect(dead[0]!.headers[SIDE_OUTPUT_HEADERS.sourceTopic]).toBe('clicks');
    expect(dead[0]!.headers[SIDE_OUTPUT_HEADERS.sourceOffset]).toBe('2');
    expect(task.bufferedRecords).toBe(2);
  });

  it('refuses an upper bound below the lower bound, naming the option', () => {
    expect(() => newJoin({ lowerMs: 10, upperMs: 5 })).toThrow(/upperMs must be at least lowerMs/);
  });
});
