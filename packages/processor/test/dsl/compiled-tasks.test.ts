import { describe, expect, it } from 'vitest';
import { countAggregator, sumAggregator } from '../../src/aggregate/builtins.js';
import { jsonDeserialize, jsonSerialize, type Aggregator } from '../../src/aggregate/aggregator.js';
import { streamJob } from '../../src/dsl/stream-job.js';
import { table } from '../../src/dsl/table.js';
import { hopping, session, tumbling } from '../../src/dsl/windows.js';
import { SIDE_OUTPUT_HEADERS } from '../../src/engine/side-outputs.js';
import type { WindowedResult } from '../../src/engine/window-result.js';
import type { OutputRecord } from '../../src/task/partition-task.js';
import { BROKERS, click, clickCodec } from './fixtures.js';
import { PlanRunner } from './plan-runner.js';

const M = 60_000;

const source = (partitionedBy?: 'user') =>
  streamJob({ applicationId: 'app', brokers: BROKERS }).source(
    'clicks',
    clickCodec,
    partitionedBy === undefined ? {} : { partitionedBy },
  );

/** The decoded JSON results, `key window=[start,end) → result` (version and finality checked apart). */
function results(outs: readonly OutputRecord[]): string[] {
  return outs.map((o) => {
    const r = JSON.parse(o.value!.toString('utf8')) as WindowedResult<unknown>;
    return `${r.key} [${r.windowStart},${r.windowEnd}) ${JSON.stringify(r.result)}${r.isFinal ? '' : ' (update)'}`;
  });
}

describe('compiled DSL tasks, run by hand', () => {
  it('single stage: filter, map and count per key in 1-minute windows', () => {
    const plan = source('user')
      .filter((e) => e.type !== 'unknown')
      .map((e) => ({ user: e.user, isClick: e.type === 'click' }))
      .filter((e) => e.isClick)
      .keyBy((e) => e.user, { inputPartitioned: true })
      .window(tumbling({ size: '1m' }), { outOfOrderness: '0s' })
      .aggregate(countAggregator())
      .to('counts');
    expect(plan.physical.kind).toBe('single-stage');
    const run = new PlanRunner(plan.toStreamJobOptions(), 1);
    run.feed(0, click({ user: 'a', ts: 1_000 }));
    run.feed(0, click({ user: 'a', ts: 2_000, type: 'view' })); // filtered by the second filter
    run.feed(0, click({ user: 'b', ts: 3_000, type: 'unknown' })); // filtered by the first
    run.feed(0, click({ user: 'b', ts: 4_000 }));
    run.feed(0, click({ user: 'a', ts: 59_999 }));
    run.feed(0, click({ user: 'a', ts: M + 5 })); // closes [0, 60000)
    run.feed(0, click({ user: 'a', ts: 10 })); // late
    run.feed(0, Buffer.from('{oops')); // invalid
    run.finish();
    expect(results(run.output('results'))).toEqual(['a [0,60000) 2', 'b [0,60000) 1', `a [${M},${2 * M}) 1`]);
    expect(run.output('late')).toHaveLength(1);
    expect(run.output('dead-letter').map((o) => o.headers[SIDE_OUTPUT_HEADERS.errorCode])).toEqual([
      'TEST_DECODE',
    ]);
    expect((run.tasks[0] as unknown as { counters: { filtered: number } }).counters.filtered).toBe(2);
  });

  it('two stages: sums per page over 2 input partitions, partials merged across them', () => {
    const plan = source()
      .keyBy('page')
      .window(hopping({ size: '2m', advance: '1m' }), { outOfOrderness: '0s' })
      .aggregate(sumAggregator((e) => e.amount))
      .to('sums');
    expect(plan.physical.kind).toBe('two-stage');
    const run = new PlanRunner(plan.toStreamJobOptions(), 2, 3);
    run.feed(0, click({ page: '/a', amount: 1, ts: 10_000 }));
    run.feed(1, click({ page: '/a', amount: 10, ts: 20_000 }));
    run.feed(1, click({ page: '/b', amount: 100, ts: M + 1 }));
    run.feed(0, click({ page: '/a', amount: 1000, ts: M + 2 }));
    run.commit(0);
    run.commit(1);
    run.finish();
    const latest = new Map<string, string>();
    for (const line of results(run.output('results'))) latest.set(line.slice(0, line.lastIndexOf(' ')), line);
    expect([...latest.values()].sort()).toEqual([
      `/a [-60000,60000) 11`,
      `/a [0,120000) 1011`,
      `/a [60000,180000) 1000`,
      `/b [0,120000) 100`,
      `/b [60000,180000) 100`,
    ]);
    expect(run.output('results').every((o) => o.output === 'results')).toBe(true);
  });

  it('enriches from a table in the task context and aggregates by the joined field', () => {
    const pages = table<{ category: string }>('pages');
    pages.table.apply({ key: Buffer.from('/a'), value: Buffer.from('{"category":"news"}') });
    pages.table.apply({ key: Buffer.from('/b'), value: Buffer.from('{"category":"news"}') });
    const plan = source()
      .enrich(
        pages,
        (e) => e.page,
        (e, row) => ({ category: row?.category ?? 'unknown', ts: e.ts }),
      )
      .keyBy('category')
      .window(tumbling({ size: '1m' }), { outOfOrderness: 0 })
      .aggregate(countAggregator())
      .to('by-category');
    const run = new PlanRunner(plan.toStreamJobOptions(), 1, 1, { pages: pages.table });
    run.feed(0, click({ page: '/a', ts: 1 }));
    run.feed(0, click({ page: '/b', ts: 2 }));
    run.feed(0, click({ page: '/c', ts: 3 }));
    run.finish();
    expect(results(run.output('results'))).toEqual(['news [0,60000) 2', 'unknown [0,60000) 1']);
  });

  it('dedupBy reads the id before a map drops it; event time is the source element’s', () => {
    const plan = source('user')
      .dedupBy((e) => e.id, { ttl: '1h' })
      .map((e) => ({ who: e.user }))
      .keyBy('who', { inputPartitioned: true })
      .window(tumbling({ size: '1m' }), { outOfOrderness: '0s' })
      .aggregate(countAggregator())
      .to('counts');
    const run = new PlanRunner(plan.toStreamJobOptions(), 1);
    run.feed(0, click({ id: 'x', user: 'a', ts: 1_000 }));
    run.feed(0, click({ id: 'x', user: 'a', ts: 2_000 })); // duplicate
    run.feed(0, click({ id: 'y', user: 'a', ts: 3_000 }));
    run.feed(0, click({ id: 'z', user: 'a', ts: M }));
    run.finish();
    expect(results(run.output('results'))).toEqual(['a [0,60000) 2', `a [${M},${2 * M}) 1`]);
    expect((run.tasks[0] as unknown as { counters: { duplicates: number } }).counters.duplicates).toBe(1);
  });

  it('a step that throws, or a key or event time of the wrong type, dead-letters the record naming the step', () => {
    const plan = source()
      .map((e) => {
        if (e.page === '/boom') throw new Error('no such page');
        return e;
      })
      .keyBy('page')
      .window(tumbling({ size: '1m' }))
      .aggregate(countAggregator())
      .to('counts');
    const run = new PlanRunner(plan.toStreamJobOptions(), 1, 1);
    run.feed(0, click({ page: '/boom', ts: 1 }));
    run.feed(0, Buffer.from(JSON.stringify({ id: 'k', ts: 2 }))); // no page: key undefined
    run.feed(0, Buffer.from(JSON.stringify({ id: 't', page: '/a', ts: 'soon' }))); // event time not a number
    run.feed(0, click({ page: '/a', ts: 3 }));
    run.finish();
    expect(
      run
        .output('dead-letter')
        .map((o) => [o.headers[SIDE_OUTPUT_HEADERS.errorCode], o.headers[SIDE_OUTPUT_HEADERS.errorReason]]),
    ).toEqual([
      ['TRIB_PROC_TRANSFORM_FAILED', 'map #1 threw: no such page'],
      ['TRIB_PROC_TRANSFORM_FAILED', 'keyBy returned undefined, not a string key'],
      ['TRIB_PROC_TRANSFORM_FAILED', 'source eventTime returned string, not a finite number of epoch ms'],
    ]);
    expect(results(run.output('results'))).toEqual(['/a [0,60000) 1']);
  });

  it('session windows per user with a user-defined aggregator', () => {
    const pagesVisited: Aggregator<{ page: string }, string[], string[]> = {
      create: () => [],
      add: (acc, e) => (acc.includes(e.page) ? acc : [...acc, e.page]),
      merge: (a, b) => [...new Set([...a, ...b])],
      result: (acc) => [...acc].sort(),
      serialize: jsonSerialize,
      deserialize: (b) => jsonDeserialize<string[]>(b),
    };
    const plan = source('user')
      .keyBy('user')
      .window(session({ gap: '10s' }), { outOfOrderness: 0 })
      .aggregate(pagesVisited)
      .to('sessions');
    const run = new PlanRunner(plan.toStreamJobOptions(), 1);
    run.feed(0, click({ user: 'a', page: '/x', ts: 0 }));
    run.feed(0, click({ user: 'a', page: '/y', ts: 5_000 }));
    run.feed(0, click({ user: 'b', page: '/z', ts: 6_000 }));
    run.feed(0, click({ user: 'a', page: '/x', ts: 30_000 }));
    run.finish();
    expect(results(run.output('results'))).toEqual([
      'a [0,15000) ["/x","/y"]',
      'b [6000,16000) ["/z"]',
      'a [30000,40000) ["/x"]',
    ]);
  });

  it("emit('updates') sends early updates of open windows every `every` of processing time", () => {
    const plan = source('user')
      .keyBy('user')
      .window(tumbling({ size: '1m' }), { outOfOrderness: 0, idleness: '1h' })
      .aggregate(countAggregator())
      .emit('updates', { every: '5s' })
      .to('counts');
    const run = new PlanRunner(plan.toStreamJobOptions(), 1);
    const task = run.tasks[0]!;
    task.tick(0);
    run.feed(0, click({ user: 'a', ts: 1 }));
    task.tick(5_000);
    run.feed(0, click({ user: 'a', ts: 2 }));
    task.tick(6_000); // not yet 5 s since the last update
    task.tick(10_000);
    expect(results(task.drainOutputs())).toEqual(['a [0,60000) 1 (update)', 'a [0,60000) 2 (update)']);
  });
});

describe('emission modes with allowed lateness', () => {
  const run = (mode: 'final' | 'updates') => {
    const counted = source()
      .keyBy('page')
      .window(tumbling({ size: '1m' }), { outOfOrderness: 0, allowedLateness: '30s' })
      .aggregate(countAggregator());
    const plan = (mode === 'final' ? counted.emit('final') : counted.emit('updates')).to('counts');
    const r = new PlanRunner(plan.toStreamJobOptions(), 2, 1);
    r.feed(0, click({ ts: 1_000 }));
    r.feed(1, click({ ts: 2_000 }));
    r.feed(0, click({ ts: M + 1 })); // partition 0 passes the window's end
    r.feed(1, click({ ts: M + 2 }));
    r.commit(0);
    r.commit(1);
    r.feed(0, click({ ts: 3_000 })); // late but allowed
    r.commit(0);
    r.feed(0, click({ ts: M + 40_000 })); // closes [0, 60000) on both partitions
    r.feed(1, click({ ts: M + 40_000 }));
    r.commit(0);
    r.commit(1);
    return results(r.output('results'));
  };

  it("'final': each window once, when it closes", () => {
    expect(run('final')).toEqual(['/a [0,60000) 3']);
  });

  it("'updates': at the window's end, again for late events, final at close", () => {
    expect(run('updates')).toEqual(['/a [0,60000) 2 (update)', '/a [0,60000) 3 (update)', '/a [0,60000) 3']);
  });
});

describe('filtering results: .aggregate(…).filter(…)', () => {
  it('session windows: only sessions with more than 2 events are written', () => {
    const plan = source('user')
      .keyBy('user')
      .window(session({ gap: '10s' }), { outOfOrderness: 0 })
      .aggregate(countAggregator())
      .filter((r) => r.result > 2)
      .to('alerts');
    expect(plan.physical.kind).toBe('single-stage');
    const run = new PlanRunner(plan.toStreamJobOptions(), 1);
    for (const ts of [0, 1_000, 2_000]) run.feed(0, click({ user: 'a', ts }));
    for (const ts of [3_000, 4_000]) run.feed(0, click({ user: 'b', ts }));
    run.finish();
    expect(results(run.output('results'))).toEqual(['a [0,12000) 3']);
  });

  it('two stages: the merge writes only what every filter accepts, with the window and key in view', () => {
    const plan = source()
      .keyBy('page')
      .window(tumbling({ size: '1m' }), { outOfOrderness: 0 })
      .aggregate(sumAggregator((e) => e.amount))
      .filter((r) => r.result >= 10)
      .emit('final')
      .filter((r) => r.key !== '/ignored')
      .to('sums');
    expect(plan.physical.kind).toBe('two-stage');
    const run = new PlanRunner(plan.toStreamJobOptions(), 2, 1);
    run.feed(0, click({ page: '/a', amount: 5, ts: 1_000 }));
    run.feed(1, click({ page: '/a', amount: 5, ts: 2_000 }));
    run.feed(0, click({ page: '/b', amount: 9, ts: 3_000 }));
    run.feed(1, click({ page: '/ignored', amount: 50, ts: 4_000 }));
    run.commit(0);
    run.commit(1);
    run.finish();
    expect(results(run.output('results'))).toEqual(['/a [0,60000) 10']);
  });

  it("with 'updates' it sees every version; a version it rejects is not written but versions still grow", () => {
    const plan = source('user')
      .keyBy('user')
      .window(tumbling({ size: '1m' }), { outOfOrderness: 0, allowedLateness: '30s' })
      .aggregate(countAggregator())
      .emit('updates')
      .filter((r) => r.result !== 2)
      .to('counts');
    const run = new PlanRunner(plan.toStreamJobOptions(), 1);
    run.feed(0, click({ user: 'a', ts: 1_000 }));
    run.feed(0, click({ user: 'a', ts: M + 1 })); // on time: 1
    run.commit(0);
    run.feed(0, click({ user: 'a', ts: 2_000 })); // late but allowed: 2, rejected
    run.commit(0);
    run.feed(0, click({ user: 'a', ts: 3_000 })); // 3
    run.commit(0);
    const versions = run
      .output('results')
      .map((o) => JSON.parse(o.value!.toString('utf8')) as WindowedResult<number>)
      .filter((r) => r.windowStart === 0)
      .map((r) => `${r.result} v${r.version}`);
    expect(versions).toEqual(['1 v1', '3 v3']);
  });

  it('a filter that is not a function fails naming it', () => {
    const aggregated = source()
      .keyBy('page')
      .window(tumbling({ size: '1m' }))
      .aggregate(countAggregator());
    expect(() => aggregated.filter(42 as never)).toThrow(/filter/);
  });
});
