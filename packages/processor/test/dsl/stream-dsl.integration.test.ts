import { describe, expect, inject, it } from 'vitest';
import { countAggregator } from '../../src/aggregate/builtins.js';
import { streamJob } from '../../src/dsl/stream-job.js';
import { table } from '../../src/dsl/table.js';
import { tumbling } from '../../src/dsl/windows.js';
import type { WindowedResult } from '../../src/engine/window-result.js';
import { uniqueName } from '../helpers/kafka-harness.js';
import { useKafkaHarness } from '../helpers/kafka-suite.js';
import { click, clickCodec } from './fixtures.js';

const brokers = inject('kafkaBrokers');

/** The latest version of each (key, window), as `key [start,end) result`. */
function latest(values: readonly (Buffer | null)[]): string[] {
  const byWindow = new Map<string, WindowedResult<number>>();
  for (const value of values) {
    const r = JSON.parse(value!.toString('utf8')) as WindowedResult<number>;
    const id = `${r.key} [${r.windowStart},${r.windowEnd})`;
    if ((byWindow.get(id)?.version ?? 0) < r.version) byWindow.set(id, r);
  }
  return [...byWindow.entries()]
    .map(([id, r]) => `${id} ${r.result}${r.isFinal ? '' : ' (not final)'}`)
    .sort();
}

describe('a DSL job against the real broker', () => {
  const { harness, groups } = useKafkaHarness(brokers, ['dsl-it-']);

  it('re-keys by an enriched field through the repartition topic and writes final counts', async () => {
    const applicationId = uniqueName('dsl-it-app');
    const input = uniqueName('dsl-it-clicks');
    const pagesTopic = uniqueName('dsl-it-pages');
    const results = `${applicationId}-results`;
    groups.push(applicationId, `${applicationId}-merge`);
    await harness.createTopic(input, 3);
    await harness.createTopic(pagesTopic, 1, { compacted: true });
    await harness.produce(pagesTopic, [
      { key: '/a', value: JSON.stringify({ category: 'news' }) },
      { key: '/b', value: JSON.stringify({ category: 'news' }) },
      { key: '/c', value: JSON.stringify({ category: 'sport' }) },
    ]);
    const events = [
      ...['/a', '/b', '/c', '/a', '/x'].map((page, i) => ({ user: `u${i}`, page, ts: 1_000 + i })),
      { user: 'u1', page: '/c', ts: 61_000 },
      { user: 'u2', page: '/unknown-type', ts: 2_000, type: 'unknown' as const },
    ];
    await harness.produce(
      input,
      events.map((e) => ({ key: e.user, value: click(e) })),
    );
    const pages = table<{ category: string }>(pagesTopic, { name: 'pages' });
    const plan = streamJob({ applicationId, brokers, commitIntervalMs: 100 })
      .source(input, clickCodec, { partitionedBy: 'user' })
      .filter((e) => e.type !== 'unknown')
      .enrich(
        pages,
        (e) => e.page,
        (e, row) => ({ category: row?.category ?? 'none', ts: e.ts }),
      )
      .keyBy('category')
      .window(tumbling({ size: '1m' }), { idleness: '2s' })
      .aggregate(countAggregator())
      .to(results);
    expect(plan.physical.kind).toBe('two-stage');
    const job = await plan.start();
    try {
      const records = await harness.readAll(results, { expected: 4, settleMs: 3_000 });
      expect(latest(records.map((r) => r.value))).toEqual([
        'news [0,60000) 3',
        'none [0,60000) 1',
        'sport [0,60000) 1',
        'sport [60000,120000) 1',
      ]);
    } finally {
      await job.stop();
    }
  });
});
