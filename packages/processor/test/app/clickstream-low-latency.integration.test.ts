import { ClickstreamGenerator, computeGroundTruth } from '@tributary/producer';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createClickstreamApp } from '../../src/app/clickstream.js';
import { CLICKSTREAM_RULES as RULES } from '../helpers/clickstream-rules.js';
import { testProcessorConfig } from '../helpers/clickstream-config.js';
import { useClickstreamSuite } from '../helpers/clickstream-suite.js';
import { toInputMessages } from '../helpers/clickstream-topics.js';
import { deleteIndices, elasticsearchClient, searchUntil } from '../helpers/elasticsearch.js';
import { latestWindowResults, resultMismatches, windowKey } from '../helpers/window-results.js';

const brokers = inject('kafkaBrokers');
const esUrl = inject('elasticsearchUrl');
const PARTITIONS = 3;

const es = elasticsearchClient(esUrl);

interface Hit {
  _version: number;
  _source: {
    page_url: string;
    window_start: number;
    click_count: number;
    view_count: number;
    version: number;
  };
}

/**
 * Low-latency mode: at-least-once through Kafka, the merge stage indexes its window results itself (no connector).
 * The index must still equal the ground truth, with the result's version as the document's external version — and a
 * second run over the same input (a replay) must leave every document as it was: same content, same version.
 */
describe('tributary-processor clickstream in low-latency mode', () => {
  const { harness, suffix, topics } = useClickstreamSuite(brokers, 'll', PARTITIONS, (s) =>
    ['', '-merge'].map((stage) => `${s}-app${stage}`),
  );
  const indexPrefix = `${suffix}-ll-idx`;

  afterAll(async () => {
    await deleteIndices(es, indexPrefix);
  });

  const indexed = (expected: number): Promise<Hit[]> => searchUntil<Hit>(es, indexPrefix, expected);

  it('indexes exactly the ground truth from the merge stage, and a replay changes nothing', async () => {
    const generator = new ClickstreamGenerator({
      ...RULES,
      seed: 11,
      partitions: PARTITIONS,
      eventsPerSecond: 10,
      pages: 20,
      users: 200,
      outOfOrderRate: 0.05,
      lateRate: 0.02,
      duplicateRate: 0.02,
      malformedRate: 0.01,
    });
    const records = generator.take(2_000);
    const manifest = computeGroundTruth(
      records.map((r) => ({ partition: r.partition, value: r.value })),
      { ...RULES, partitions: PARTITIONS },
    );
    await harness.produce(topics.inputTopic, toInputMessages(records));
    const run = async (
      applicationId: string,
      minRecords: number,
    ): Promise<{ hits: Hit[]; written: number }> => {
      const config = testProcessorConfig({
        ...topics,
        applicationId,
        brokers,
        esUrl,
        indexPrefix,
        lowLatency: true,
      });
      expect(config.processingGuarantee).toBe('at-least-once');
      const app = createClickstreamApp(config);
      expect(app.connector).toBeUndefined();
      const results = harness.tail(topics.resultsTopic);
      await app.start();
      try {
        await results.start();
        await results.waitFor(
          (r) => r.length >= minRecords && resultMismatches(manifest, r).length === 0,
          90_000,
        );
        // Indexed before the commit that wrote them to Kafka: the index holds them already.
        const hits = await indexed(manifest.windows.length);
        const latest = latestWindowResults(results.records);
        for (const h of hits) {
          const w = latest.get(windowKey(h._source.page_url, h._source.window_start));
          expect(h._version).toBe(w?.version);
        }
        return { hits, written: results.records.length };
      } finally {
        await app.stop();
      }
    };
    const { hits: first, written } = await run(`${suffix}-app`, 1);
    expect(first).toHaveLength(manifest.windows.length);
    const expected = new Map(manifest.windows.map((w) => [windowKey(w.pageUrl, w.windowStart), w]));
    for (const h of first) {
      const w = expected.get(windowKey(h._source.page_url, h._source.window_start));
      expect([h._source.click_count, h._source.view_count]).toEqual([w?.clickCount, w?.viewCount]);
    }
    // A replay from the start (a new group: every result is written again) leaves the index exactly as it was.
    // The replay's own results follow the first run's on the topic: wait for all of them.
    const { hits: replay } = await run(`${suffix}-app-replay`, 2 * written);
    const byId = (hits: Hit[]) =>
      new Map(
        hits.map((h) => [windowKey(h._source.page_url, h._source.window_start), [h._version, h._source]]),
      );
    expect(byId(replay)).toEqual(byId(first));
  });
});
