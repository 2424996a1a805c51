import { afterEach, describe, expect, it } from 'vitest';
import { countAggregator } from '../../src/aggregate/builtins.js';
import { SIDE_OUTPUT_HEADERS } from '../../src/engine/side-outputs.js';
import { streamJob } from '../../src/dsl/stream-job.js';
import { table } from '../../src/dsl/table.js';
import { tumbling } from '../../src/dsl/windows.js';
import type { Stream } from '../../src/dsl/stream.js';
import type { PerSide } from '../../src/dsl/join-plan.js';
import { JobTestDriver, type TestRecordInput } from '../../src/testing/index.js';
import { rng } from '../engine/fixtures.js';
import { BROKERS, clickCodec, type Click } from './fixtures.js';

const settings = { applicationId: 'joins', brokers: BROKERS };
const B = 2_000;
const LOWER = -2_000;
const UPPER = 10_000;

/** Clicks (filtered to type 'click', mapped to fewer fields) joined with orders (deduplicated by id), by user. */
function joinJob(job = streamJob(settings), outOfOrderness: PerSide<number> = B) {
  const clicks = job
    .source('clicks', clickCodec)
    .filter((c) => c.type === 'click')
    .map((c) => ({ clickId: c.id, buyer: c.user, page: c.page }));
  const orders = job.source('orders', clickCodec).dedupBy((o) => o.id);
  return clicks.join(
    orders,
    { leftKey: 'buyer', rightKey: (o) => o.user, between: { lower: '-2s', upper: '10s' }, outOfOrderness },
    (click, order, user) => ({ pair: `${click.clickId}>${order.id}`, user, page: click.page }),
  );
}

type Entry = { partition: number; event: Click } | { partition: number; malformed: true };

/**
 * Events of 6 users in generation order, each on a random partition: mostly within 1.5 s of disorder, 5 % up to
 * 20 s behind (late once their partition is ahead), some views (filtered on the left), orders sent twice
 * (deduplicated) and undecodable records.
 */
function generate(seed: number, prefix: string, partitions: number, count: number): Entry[] {
  const r = rng(seed);
  const out: Entry[] = [];
  for (let i = 0; i < count; i++) {
    const partition = Math.floor(r() * partitions);
    if (r() < 0.02) {
      out.push({ partition, malformed: true });
      continue;
    }
    const behind = r() < 0.05 ? Math.floor(r() * 20_000) : Math.floor(r() * 1_500);
    const event: Click = {
      id: `${prefix}${i}`,
      user: `u${Math.floor(r() * 6)}`,
      page: `/p${i % 3}`,
      ts: 1_000_000 + i * 700 - behind,
      type: r() < 0.2 ? 'view' : 'click',
      amount: 1,
    };
    out.push({ partition, event });
    if (r() < 0.08) out.push({ partition, event });
  }
  return out;
}

/**
 * The join written independently: per partition in offset order, undecodable records and filtered ones are skipped,
 * an event is late when `ts + 1 <= maxTs - B` (allowed lateness 0), a duplicate (right side) when its id was
 * accepted before; every accepted pair with the same user and `right.ts - left.ts ∈ [LOWER, UPPER]` is joined.
 */
function reference(
  clicks: Entry[],
  orders: Entry[],
  bound: { left: number; right: number } = { left: B, right: B },
): { pairs: string[]; late: number } {
  let late = 0;
  const accepted = (entries: Entry[], keep: (e: Click) => boolean, dedup: boolean, B: number): Click[] => {
    const maxTs = new Map<number, number>();
    const seen = new Map<number, Set<string>>();
    const out: Click[] = [];
    for (const entry of entries) {
      if (!('event' in entry) || !keep(entry.event)) continue;
      const { partition, event } = entry;
      const max = maxTs.get(partition) ?? Number.NEGATIVE_INFINITY;
      const ids = seen.get(partition) ?? new Set<string>();
      seen.set(partition, ids);
      if (event.ts + 1 <= max - B) late++;
      else if (!dedup || !ids.has(event.id)) {
        ids.add(event.id);
        out.push(event);
      }
      maxTs.set(partition, Math.max(max, event.ts));
    }
    return out;
  };
  const left = accepted(clicks, (c) => c.type === 'click', false, bound.left);
  const right = accepted(orders, () => true, true, bound.right);
  const pairs = left.flatMap((l) =>
    right
      .filter((r) => r.user === l.user && r.ts - l.ts >= LOWER && r.ts - l.ts <= UPPER)
      .map((r) => `${l.id}>${r.id}@${Math.max(l.ts, r.ts)}`),
  );
  return { pairs: pairs.sort(), late };
}

const record = (entry: Entry): TestRecordInput =>
  'event' in entry
    ? { partition: entry.partition, key: entry.event.user, value: JSON.stringify(entry.event) }
    : { partition: entry.partition, value: 'not json' };

let driver: JobTestDriver | undefined;
afterEach(async () => {
  await driver?.close();
  driver = undefined;
});

/** Runs the job over both topics, alternating at random, crashing and restarting every `crashEvery` records. */
async function runJoin(seed: number, crashEvery?: number, bound = { left: B, right: B }) {
  const clicks = generate(seed, 'c', 3, 500);
  const orders = generate(seed + 100, 'o', 2, 300);
  driver = new JobTestDriver(joinJob(streamJob(settings), bound).to('conversions').toStreamJobOptions(), {
    partitions: { clicks: 3, orders: 2 },
  });
  const r = rng(seed + 200);
  let c = 0;
  let o = 0;
  let n = 0;
  while (c < clicks.length || o < orders.length) {
    // Both topics advance at about the same event-time pace (700 ms per generated event, 5 : 3).
    const takeClick = o >= orders.length || (c < clicks.length && c / clicks.length <= o / orders.length);
    if (takeClick) await driver.pipe('clicks', record(clicks[c++]!));
    else await driver.pipe('orders', record(orders[o++]!));
    await driver.advanceTime(Math.floor(r() * 120));
    if (crashEvery !== undefined && ++n % crashEvery === 0) {
      await driver.crash();
      await driver.advanceTime(300);
      await driver.restart();
    }
  }
  await driver.advanceTime(1_000);
  return reference(clicks, orders, bound);
}

function joined(d: JobTestDriver): string[] {
  return d
    .readOutput('results')
    .map((rec) => `${(JSON.parse(rec.value!.toString('utf8')) as { pair: string }).pair}@${rec.timestamp}`)
    .sort();
}

describe('Stream.join on the JobTestDriver', () => {
  it('equals a brute-force join: late, filtered, duplicate and undecodable records apart', async () => {
    const expected = await runJoin(1);
    expect(joined(driver!)).toEqual(expected.pairs);
    expect(expected.pairs.length).toBeGreaterThan(200);
    expect(driver!.readOutput('late')).toHaveLength(expected.late);
    expect(expected.late).toBeGreaterThan(5);
    const dead = driver!.readOutput('dead-letter');
    expect(new Set(dead.map((d) => d.headers[SIDE_OUTPUT_HEADERS.errorCode]))).toEqual(
      new Set(['TEST_DECODE']),
    );
    // Keyed by the join key.
    const results = driver!.readOutput('results');
    expect(
      results.every(
        (rec) => rec.key!.toString() === (JSON.parse(rec.value!.toString()) as { user: string }).user,
      ),
    ).toBe(true);
  });

  it('equals the same brute-force join through crashes of the whole job, each pair once', async () => {
    const expected = await runJoin(2, 61);
    expect(joined(driver!)).toEqual(expected.pairs);
  });

  it('takes an out-of-orderness bound per side: each side decides lateness with its own', async () => {
    const bound = { left: 500, right: 15_000 };
    const expected = await runJoin(3, undefined, bound);
    expect(joined(driver!)).toEqual(expected.pairs);
    expect(driver!.readOutput('late')).toHaveLength(expected.late);
    // The bounds matter: with both sides at B the same input gives other lateness decisions.
    const shared = reference(generate(3, 'c', 3, 500), generate(103, 'o', 2, 300));
    expect(shared.late).not.toBe(expected.late);
  });

  it('names the side of a bad per-side duration', () => {
    const job = streamJob(settings);
    const clicks = job.source('clicks', clickCodec);
    const orders = job.source('orders', clickCodec);
    const spec = { leftKey: 'user', rightKey: 'user', between: { lower: 0, upper: '1m' } } as const;
    expect(() =>
      clicks.join(orders, { ...spec, outOfOrderness: { left: '1s', right: '2 s' as never } }, (c) => c),
    ).toThrow(/join\.outOfOrderness\.right must be a duration/);
    expect(() =>
      clicks.join(orders, { ...spec, allowedLateness: { left: '1s', middle: '1s' } as never }, (c) => c),
    ).toThrow(/join\.allowedLateness\.middle is not a side/);
  });

  it('keys results by `key`, encodes them with `encode`, and names its topics after the job by default', async () => {
    const plan = joinJob().to('conversions', (j) => j.pair, { key: 'page', late: null });
    expect(plan.physical).toEqual({
      kind: 'interval-join',
      tasks: ['JoinSideTask', 'IntervalJoinTask'],
      reason: expect.stringContaining('clicks ⋈ orders on right.ts − left.ts ∈ [-2000, 10000] ms') as string,
      outputs: {
        repartition: 'joins-repartition',
        results: 'conversions',
        late: null,
        'dead-letter': 'joins-dlq',
      },
      inputTopic: 'clicks',
      rightInputTopic: 'orders',
      tables: {},
    });
    expect(plan.explain()).toMatch(/stage joins-join-right.*joins-repartition.*stage joins-merge/);
    driver = new JobTestDriver(plan.toStreamJobOptions(), { partitions: { clicks: 2, orders: 2 } });
    const ev = (id: string, page: string, ts: number) =>
      JSON.stringify({ id, user: 'u1', page, ts, type: 'click', amount: 1 });
    await driver.pipe('clicks', { key: 'u1', value: ev('c1', '/a', 5_000) });
    await driver.pipe('clicks', { key: 'u1', value: ev('c2', '/b', 6_000) });
    await driver.pipe('orders', { key: 'u1', value: ev('o1', '/', 9_000) });
    await driver.advanceTime(1_000);
    expect(
      driver.readOutput('results').map((r) => [r.key!.toString(), r.value!.toString(), r.timestamp]),
    ).toEqual([
      ['/a', 'c1>o1', 9_000],
      ['/b', 'c2>o1', 9_000],
    ]);
  });

  it('dead-letters a record whose join key is not a string, naming the key selector', async () => {
    const job = streamJob(settings);
    const plan = job
      .source('clicks', clickCodec)
      .join(
        job.source('orders', clickCodec),
        {
          leftKey: (c) => (c.page === '/bad' ? (7 as unknown as string) : c.user),
          rightKey: 'user',
          between: { lower: 0, upper: 0 },
        },
        (c, o) => `${c.id}>${o.id}`,
      )
      .to('pairs');
    driver = new JobTestDriver(plan.toStreamJobOptions());
    await driver.pipe('clicks', {
      value: JSON.stringify({ id: 'c1', user: 'u', page: '/bad', ts: 1, type: 'click', amount: 1 }),
    });
    await driver.advanceTime(1_000);
    expect(driver.readOutput('dead-letter').map((d) => d.headers[SIDE_OUTPUT_HEADERS.errorReason])).toEqual([
      'join.leftKey returned 7, not a string key',
    ]);
  });
});

const code = (error: unknown) => (error as { code?: string }).code;
function thrown(fn: () => unknown): { code: string | undefined; message: string } {
  try {
    fn();
  } catch (error) {
    return { code: code(error), message: (error as Error).message };
  }
  throw new Error('did not throw');
}

describe('Stream.join validation, at build time, naming the option', () => {
  const job = streamJob(settings);
  const clicks = job.source('clicks', clickCodec);
  const orders = job.source('orders', clickCodec);
  const spec = { leftKey: 'user', rightKey: 'user', between: { lower: 0, upper: '30m' } } as const;
  const pair = (c: Click, o: Click) => `${c.id}>${o.id}`;

  it.each([
    [
      'the same topic on both sides',
      () => clicks.join(job.source('clicks', clickCodec), spec, pair),
      'join.other reads clicks, the topic of the left side',
    ],
    [
      'a stream of another streamJob',
      () => clicks.join(streamJob({ ...settings }).source('orders', clickCodec), spec, pair),
      'join.other must be a stream of the same streamJob',
    ],
    [
      'a keyed stream',
      () => clicks.join(orders.keyBy('user') as unknown as Stream<Click>, spec, pair),
      'join.other must be a Stream',
    ],
    [
      'lower above upper',
      () => clicks.join(orders, { ...spec, between: { lower: '10m', upper: '5m' } }, pair),
      'join.between.upper must be at least join.between.lower (600000 ms > 300000 ms',
    ],
    [
      'a malformed bound',
      () => clicks.join(orders, { ...spec, between: { lower: '-', upper: '5m' } as never }, pair),
      'join.between.lower must be a duration',
    ],
    [
      'no interval',
      () => clicks.join(orders, { leftKey: 'user', rightKey: 'user' } as never, pair),
      'join.between must be { lower, upper }',
    ],
    [
      'a key selector that is neither',
      () => clicks.join(orders, { ...spec, rightKey: 3 as never }, pair),
      'join.rightKey must be a field name or a function',
    ],
    ['no joiner', () => clicks.join(orders, spec, undefined as never), 'join.joiner'],
    [
      'a zero buffer',
      () => clicks.join(orders, { ...spec, maxBufferedRecords: 0 }, pair),
      'join.maxBufferedRecords',
    ],
    [
      'a bad out-of-orderness',
      () => clicks.join(orders, { ...spec, outOfOrderness: '5 s' as never }, pair),
      'join.outOfOrderness must be a duration',
    ],
    [
      'an enrich step before the join',
      () =>
        clicks.join(
          orders.enrich(
            table<{ n: number }>('users'),
            (o) => o.user,
            (o) => o,
          ),
          spec,
          pair,
        ),
      'join (right side) cannot run the enrich step of orders',
    ],
    [
      'results written to an input topic',
      () => clicks.join(orders, spec, pair).to('orders'),
      'to.topic must not be a topic the join reads (orders)',
    ],
    [
      'a result key that is neither',
      () => clicks.join(orders, spec, pair).to('out', undefined, { key: 1 as never }),
      'to.key must be a field name or a function',
    ],
    [
      'a clashing extra output',
      () => clicks.join(orders, spec, pair).to('out', undefined, { extraOutputs: { late: 'x' } }),
      'extraOutputs.late is an output the planner already uses',
    ],
  ])('refuses %s', (_what, build, message) => {
    const error = thrown(build);
    expect(error.code).toBe('TRIB_PROC_INVALID_OPTION');
    expect(error.message).toContain(message);
  });

  it('accepts a negative interval and signed durations in ms', () => {
    const plan = clicks.join(orders, { ...spec, between: { lower: '-1h', upper: -1_000 } }, pair).to('out');
    expect(plan.physical.reason).toContain('[-3600000, -1000] ms');
  });

  it('reserves the join-right stage name, and runs a one-stage pipeline beside the join', () => {
    const joinPlan = clicks.join(orders, spec, pair).to('pairs');
    const perPage = job
      .source('pairs', clickCodec, { partitionedBy: 'user' })
      .keyBy('user')
      .window(tumbling({ size: '1m' }))
      .aggregate(countAggregator())
      .to('per-user');
    expect(thrown(() => joinPlan.alongside('join-right', perPage)).message).toMatch(
      /not "merge" or "join-right"/,
    );
    expect(thrown(() => perPage.alongside('pairs', joinPlan)).message).toMatch(
      /must plan to one stage \(it plans to interval-join/,
    );
    expect(
      joinPlan
        .alongside('per-user', perPage)
        .toStreamJobOptions()
        .extraStages?.map((s) => s.name),
    ).toEqual(['join-right', 'per-user']);
  });
});
