import { Registry } from 'prom-client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { windowDocumentId } from '@tributary/schema';
import { countAggregator } from '../../src/aggregate/builtins.js';
import { streamJob } from '../../src/dsl/stream-job.js';
import { tumbling } from '../../src/dsl/windows.js';
import type { WindowedResult } from '../../src/engine/window-result.js';
import type { StreamJob } from '../../src/runtime/stream-job.js';
import { deleteIndices, elasticsearchClient, searchAll, searchUntil } from '../helpers/elasticsearch.js';
import { uniqueName } from '../helpers/kafka-harness.js';
import { useKafkaHarness } from '../helpers/kafka-suite.js';
import { click } from './fixtures.js';
import { clickCodec } from './fixtures.js';

const brokers = inject('kafkaBrokers');
const esUrl = inject('elasticsearchUrl');
const es = elasticsearchClient(esUrl);

const MINUTE = 60_000;
/** Each page's input partition (the source declares it partitioned by page). */
const PAGES: Record<string, number> = { '/a': 0, '/b': 1, '/c': 0 };
/** An event far ahead on each partition: its watermark passes every earlier window (its own never closes). */
const FLUSH_TS = 100 * MINUTE;
/** The key of a record written to the results topic by hand, which is no window result. */
const JUNK_KEY = 'junk';

async function waitUntil(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
}

interface Hit {
  _id: string;
  _version: number;
  _source: WindowedResult<number>;
}

interface Event {
  page: string;
  ts: number;
}

/** `count` events per page, every `step` ms from `from`, in time order. */
function events(from: number, count: number, step: number): Event[] {
  const out: Event[] = [];
  for (let i = 0; i < count; i++)
    for (const page of Object.keys(PAGES)) out.push({ page, ts: from + i * step });
  return out;
}

/** The count of each (page, window) of `all` whose window ends at or before `closedBefore` (exclusive of the flush). */
function expectedCounts(all: readonly Event[], closedBefore: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of all) {
    const start = Math.floor(e.ts / MINUTE) * MINUTE;
    if (start + MINUTE > closedBefore) continue;
    const id = `${e.page} ${start}`;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/**
 * A DSL job whose results the job itself indexes (`toElasticsearch`): every window of the input is one document,
 * id of (key, windowStart), its content the result as written to the results topic, its Elasticsearch version the
 * result's — and a restart of the job indexes the later windows without touching or repeating the earlier ones.
 */
describe('a DSL job indexing its results into Elasticsearch', () => {
  const { harness, groups } = useKafkaHarness(brokers, ['dsl-es-it-']);
  const indexPrefix = uniqueName('dsl-es-it-idx');
  afterAll(async () => {
    await deleteIndices(es, indexPrefix);
  });

  async function search(expected: number): Promise<Hit[]> {
    await searchUntil<Hit>(es, indexPrefix, expected);
    // Nothing more comes: a document beyond the expected ones would be a duplicate.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    return searchAll<Hit>(es, indexPrefix);
  }

  /** The latest result of each (key, window) on the results topic, by document id. */
  async function latestResults(
    topic: string,
    expected: number,
  ): Promise<Map<string, WindowedResult<number>>> {
    const records = await harness.readAll(topic, { expected, settleMs: 2_000 });
    const latest = new Map<string, WindowedResult<number>>();
    for (const record of records) {
      if (record.key === JUNK_KEY) continue;
      const r = JSON.parse(record.value!.toString('utf8')) as WindowedResult<number>;
      const id = windowDocumentId(r.key, r.windowStart);
      if ((latest.get(id)?.version ?? 0) < r.version) latest.set(id, r);
    }
    return latest;
  }

  /** Each document exactly: the latest result of its window, its external version the result's. */
  function checkDocuments(
    hits: readonly Hit[],
    latest: ReadonlyMap<string, WindowedResult<number>>,
    counts: ReadonlyMap<string, number>,
  ): void {
    expect(hits.map((h) => `${h._source.key} ${h._source.windowStart} ${h._source.result}`).sort()).toEqual(
      [...counts].map(([id, n]) => `${id} ${n}`).sort(),
    );
    for (const hit of hits) {
      const result = latest.get(hit._id);
      expect(result, hit._id).toBeDefined();
      expect(hit._source).toEqual(result);
      expect(hit._source).toMatchObject({ windowEnd: hit._source.windowStart + MINUTE, isFinal: true });
      expect(hit._id).toBe(windowDocumentId(hit._source.key, hit._source.windowStart));
      expect(hit._version).toBe(hit._source.version);
    }
  }

  it('indexes every closed window once, with its id and version, across a restart of the job', async () => {
    const applicationId = uniqueName('dsl-es-it-app');
    const input = uniqueName('dsl-es-it-clicks');
    const results = `${applicationId}-results`;
    const deadLetters = `${applicationId}-index-dlq`;
    groups.push(applicationId, `${applicationId}-elasticsearch`);
    await harness.createTopic(input, 2);
    const produce = (list: readonly Event[]) =>
      harness.produce(
        input,
        list.map((e) => ({ key: e.page, value: click(e), partition: PAGES[e.page]! })),
      );
    // Each run of the job has a registry of its own, as a restarted process would.
    const planWith = (registry: Registry) =>
      streamJob({ applicationId, brokers, commitIntervalMs: 100, registry })
        .source(input, clickCodec, { partitionedBy: 'page' })
        .keyBy('page')
        .window(tumbling({ size: '1m' }), { outOfOrderness: 0, wallClockAdvance: false })
        .aggregate(countAggregator())
        .to(results)
        .toElasticsearch({
          node: esUrl,
          index: `${indexPrefix}-{yyyy.MM.dd}`,
          template: {
            name: indexPrefix,
            indexPatterns: [`${indexPrefix}-*`],
            alias: indexPrefix,
            replicas: 0,
          },
          flushIntervalMs: 100,
          commitIntervalMs: 200,
        });
    const registry = new Registry();
    const plan = planWith(registry);
    expect(plan.physical.kind).toBe('single-stage');
    expect(plan.explain()).toContain(`group ${applicationId}-elasticsearch, dead letters to ${deadLetters}`);

    // Run 1: the first minute closes on every partition (events up to 1:50), the second stays open.
    const first = events(1_000, 12, 10_000);
    await produce(first);
    let job: StreamJob | undefined = await plan.start();
    try {
      const counts1 = expectedCounts(first, 60_000);
      expect(counts1.size).toBe(3);
      const hits1 = await search(counts1.size);
      checkDocuments(hits1, await latestResults(results, counts1.size), counts1);
      const running = job;
      await waitUntil(() => running.health().ready);
      expect(job.health()).toMatchObject({
        live: true,
        ready: true,
        details: {
          state: 'running',
          services: { elasticsearch: { live: true, ready: true, consumerJoined: true } },
        },
      });
      const indexed = await registry.getSingleMetricAsString('tributary_es_sink_documents_total');
      expect(indexed).toMatch(/outcome="indexed"} [1-9]/);
      await job.stop();
      // The connector stopped after the job.
      expect(job.state).toBe('stopped');
      expect(job.service('elasticsearch')?.health().live).toBe(false);
      job = undefined;

      // Run 2, after a restart: later events close minutes 2 to 4 (the flush closes everything before it), and a
      // record that is no window result on the results topic goes to the dead-letter topic.
      const second = [
        ...events(120_000, 12, 10_000),
        ...['/a', '/b'].map((page) => ({ page, ts: FLUSH_TS })),
      ];
      await produce(second);
      await harness.produce(results, [{ key: JUNK_KEY, value: 'not a window result' }]);
      job = await planWith(new Registry()).start();
      const counts2 = expectedCounts([...first, ...second], FLUSH_TS);
      expect(counts2.size).toBe(12);
      const hits2 = await search(counts2.size);
      checkDocuments(hits2, await latestResults(results, counts2.size + 1), counts2);
      // The documents of run 1 were not written again: same version, same content.
      for (const hit of hits1)
        expect(hits2.find((h) => h._id === hit._id)).toMatchObject({
          _version: hit._version,
          _source: hit._source,
        });
      const dead = await harness.readAll(deadLetters, { expected: 1 });
      expect(dead.map((r) => [r.value?.toString('utf8'), r.headers['tributary.error.type']])).toEqual([
        ['not a window result', 'decode_error'],
      ]);
    } finally {
      await job?.stop();
    }
  });
});
