import { describe, expect, expectTypeOf, it } from 'vitest';
import { avgAggregator, countAggregator, sumAggregator } from '../../src/aggregate/builtins.js';
import type { Aggregator } from '../../src/aggregate/aggregator.js';
import { clickstreamAggregator, type PageCounts } from '../../src/aggregate/clickstream.js';
import type { AggregatedStream, KeyedStream, Stream } from '../../src/dsl/stream.js';
import { streamJob } from '../../src/dsl/stream-job.js';
import { table } from '../../src/dsl/table.js';
import { tumbling } from '../../src/dsl/windows.js';
import type { StreamPlan } from '../../src/dsl/stream-plan.js';
import type { JoinedStream } from '../../src/dsl/joined-stream.js';
import { BROKERS, clickCodec, type Click } from './fixtures.js';

/**
 * Compile-time checks (`tsc` over the tests, i.e. `nx run processor:typecheck`): every `@ts-expect-error` below
 * must be an error, or the typecheck fails. At run time the builders are exercised too.
 */
const clicks = () => streamJob({ applicationId: 'types', brokers: BROKERS }).source('clicks', clickCodec);
const window = tumbling({ size: '1m' });

describe('DSL types', () => {
  it('the element type flows through filter, map, enrich and keyBy', () => {
    expectTypeOf(clicks()).toEqualTypeOf<Stream<Click>>();
    const mapped = clicks().map((e) => ({ page: e.page, n: e.amount }));
    expectTypeOf(mapped).toEqualTypeOf<Stream<{ page: string; n: number }>>();
    const narrowed = clicks().filter((e): e is Click & { type: 'click' } => e.type === 'click');
    expectTypeOf(narrowed).toEqualTypeOf<Stream<Click & { type: 'click' }>>();
    const pages = table<{ category: string }>('pages');
    const enriched = clicks().enrich(
      pages,
      (e) => e.page,
      (e, row) => {
        expectTypeOf(row).toEqualTypeOf<{ category: string } | undefined>();
        return { ...e, category: row?.category ?? '' };
      },
    );
    type Enriched = {
      category: string;
      id: string;
      user: string;
      page: string;
      ts: number;
      type: Click['type'];
      amount: number;
    };
    expectTypeOf(enriched.keyBy('category')).toEqualTypeOf<KeyedStream<Enriched>>();
  });

  it('aggregate infers built-ins from the element and types the result', () => {
    const windowed = clicks().keyBy('page').window(window);
    expectTypeOf(windowed.aggregate(countAggregator())).toEqualTypeOf<AggregatedStream<number>>();
    expectTypeOf(windowed.aggregate(sumAggregator((e) => e.amount))).toEqualTypeOf<
      AggregatedStream<number>
    >();
    expectTypeOf(windowed.aggregate(avgAggregator((e) => e.ts))).toEqualTypeOf<
      AggregatedStream<number | null>
    >();
    expectTypeOf(
      clicks()
        .map((e) => ({ eventType: e.type === 'click' ? 'CLICK' : 'VIEW' }))
        .keyBy((e) => e.eventType)
        .window(window)
        .aggregate(clickstreamAggregator()),
    ).toEqualTypeOf<AggregatedStream<PageCounts>>();
    expectTypeOf(windowed.aggregate(countAggregator()).to('out')).toEqualTypeOf<StreamPlan>();
  });

  it('a key selector or an aggregator of the wrong type does not compile', () => {
    // @ts-expect-error -- amount is a number, not a string key
    clicks().keyBy('amount');
    // @ts-expect-error -- no such field
    clicks().keyBy('pageUrl');
    // @ts-expect-error -- a key selector must return a string
    clicks().keyBy((e) => e.ts);
    const windowed = clicks().keyBy('page').window(window);
    // @ts-expect-error -- the aggregator reads a field Click does not have
    windowed.aggregate(sumAggregator((e: { price: number }) => e.price));
    const forDetailed: Aggregator<Click & { referrer: string }, number, number> = countAggregator();
    // @ts-expect-error -- an aggregator of a narrower element type (reads `referrer`) is refused
    windowed.aggregate(forDetailed);
    const mapped = clicks().map((e) => ({ n: e.amount }));
    // @ts-expect-error -- the mapped element has no `page`
    mapped.keyBy('page');
    // @ts-expect-error -- partitionedBy names a string field of the source element
    streamJob({ applicationId: 'types', brokers: BROKERS }).source('clicks', clickCodec, {
      partitionedBy: 'ts',
    });
    const counted = windowed.aggregate(countAggregator());
    const encodeText = (r: { result: string }) => ({ key: null, value: Buffer.from(r.result) });
    // @ts-expect-error -- the results encoder must take this job's result type (number)
    counted.to('out', encodeText);
    // The two below also fail at run time, naming the option.
    expect(() =>
      // @ts-expect-error -- a bare decoder needs eventTime
      streamJob({ applicationId: 'types', brokers: BROKERS }).source('clicks', clickCodec.decode),
    ).toThrow(/source.eventTime/);
    // @ts-expect-error -- not a duration
    expect(() => tumbling({ size: '1 minute' })).toThrow(/tumbling.size/);
  });

  it('a join types both sides, the joiner and its result', () => {
    const job = streamJob({ applicationId: 'types', brokers: BROKERS });
    const views = job.source('clicks', clickCodec).map((e) => ({ viewer: e.user, at: e.ts }));
    type Order = { orderId: string; buyer: string; total: number; ts: number };
    const orders = job.source<Order>('orders', {
      decode: () => ({ ok: false, code: 'X', reason: 'x' }),
      eventTime: (o) => o.ts,
    });
    const spec = { leftKey: 'viewer', rightKey: 'buyer', between: { lower: 0, upper: '30m' } } as const;
    const joined = views.join(orders, spec, (view, order, key) => {
      expectTypeOf(view).toEqualTypeOf<{ viewer: string; at: number }>();
      expectTypeOf(order).toEqualTypeOf<Order>();
      expectTypeOf(key).toEqualTypeOf<string>();
      return { viewer: view.viewer, total: order.total };
    });
    expectTypeOf(joined).toEqualTypeOf<JoinedStream<{ viewer: string; total: number }>>();
    expectTypeOf(joined.to('out', undefined, { key: 'viewer' })).toEqualTypeOf<StreamPlan>();
    const between = spec.between;
    // @ts-expect-error -- the left element has no `buyer`
    views.join(orders, { leftKey: 'buyer', rightKey: 'buyer', between }, () => 0);
    // @ts-expect-error -- total is a number, not a string key
    views.join(orders, { leftKey: 'viewer', rightKey: 'total', between }, () => 0);
    // @ts-expect-error -- a key function must return a string
    views.join(orders, { leftKey: (v) => v.at, rightKey: 'buyer', between }, () => 0);
    // @ts-expect-error -- the joiner's right element is an Order, which has no `page`
    views.join(orders, spec, (_v, o: { page: string }) => o.page);
    // @ts-expect-error -- the joiner's left element is the mapped view, which has no `user`
    views.join(orders, spec, (v: Click) => v.user);
    // @ts-expect-error -- the result has no `page` to key by
    joined.to('out', undefined, { key: 'page' });
    // @ts-expect-error -- the encoder takes the joined result
    joined.to('out', (j: { page: string }) => j.page);
    // The two below also fail at run time.
    // @ts-expect-error -- a joined stream is written to a topic; it is not keyed or windowed itself
    expect(() => joined.keyBy('viewer')).toThrow(TypeError);
    // @ts-expect-error -- only a Stream (before keyBy) can be joined
    expect(() => views.join(orders.keyBy('buyer'), spec, () => 0)).toThrow(/join.other/);
    // @ts-expect-error -- not a duration
    expect(() => views.join(orders, { ...spec, between: { lower: 0, upper: '30 min' } }, () => 0)).toThrow(
      /join.between.upper/,
    );
  });
});
