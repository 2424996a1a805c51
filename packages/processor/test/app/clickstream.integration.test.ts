import { ClickstreamGenerator, computeGroundTruth } from '@tributary/producer';
import { decodeAndValidateClickstreamEvent, decodeWindowResult } from '@tributary/schema';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createClickstreamApp } from '../../src/app/clickstream.js';
import { CLICKSTREAM_RULES as RULES } from '../helpers/clickstream-rules.js';
import { testProcessorConfig } from '../helpers/clickstream-config.js';
import { useClickstreamSuite } from '../helpers/clickstream-suite.js';
import { toInputMessages } from '../helpers/clickstream-topics.js';
import { deleteIndices, elasticsearchClient } from '../helpers/elasticsearch.js';
import { latestWindowResults, resultMismatches, windowKey } from '../helpers/window-results.js';

const brokers = inject('kafkaBrokers');
const esUrl = inject('elasticsearchUrl');
const PARTITIONS = 4;
const EVENTS = 3_000;

const es = elasticsearchClient(esUrl);

const SKIPPED_FIELD_FAULT_KEY = 'skipped-field-fault';
/** Appended to a valid event: faults in fields the projection does not build (referrer, user_agent, device, …). */
const SKIPPED_FIELD_FAULTS = [
  [0x3a, 0x02, 0xc3, 0x28], // referrer: invalid UTF-8
  [0x42, 0x03, 0xed, 0xa0, 0x80], // user_agent: a UTF-16 surrogate encoded as UTF-8
  [0x4b, 0x08, 0x01], // device as a group without its end tag
  [0x52, 0x05, 0x44], // country: length beyond the end
];

/** The generated records plus one valid event per entry of SKIPPED_FIELD_FAULTS, broken after the fact. */
function withSkippedFieldFaults<R extends { key: string; value: Uint8Array; partition: number }>(
  records: R[],
): (R | { key: string; value: Uint8Array; partition: number })[] {
  const valid = records.find((r) => decodeAndValidateClickstreamEvent(r.value).ok)!;
  return [
    ...records,
    ...SKIPPED_FIELD_FAULTS.map((fault, i) => ({
      key: `${SKIPPED_FIELD_FAULT_KEY}-${i}`,
      partition: valid.partition,
      value: Buffer.concat([valid.value, Buffer.from(fault)]),
    })),
  ];
}

describe('tributary-processor clickstream end to end', () => {
  const { harness, suffix, topics } = useClickstreamSuite(brokers, 'cs', PARTITIONS, (s) =>
    ['', '-merge', '-elasticsearch'].map((stage) => `${s}-app${stage}`),
  );
  const applicationId = `${suffix}-app`;
  const indexPrefix = `${suffix}-metrics-idx`;

  afterAll(async () => {
    await deleteIndices(es, indexPrefix);
  });

  it('results (latest version per page and window), late and dead-lettered events equal the ground truth', async () => {
    const generator = new ClickstreamGenerator({
      ...RULES,
      seed: 7,
      partitions: PARTITIONS,
      eventsPerSecond: 10,
      pages: 25,
      users: 300,
      outOfOrderRate: 0.05,
      lateRate: 0.02,
      duplicateRate: 0.02,
      malformedRate: 0.02,
    });
    // Records that only a decoder checking what it skips dead-letters: the app decodes with the projection by
    // default, and its verdicts (and reasons) must still be the full decoder's.
    const records = withSkippedFieldFaults(generator.take(EVENTS));
    const manifest = computeGroundTruth(
      records.map((r) => ({ partition: r.partition, value: r.value })),
      { ...RULES, partitions: PARTITIONS },
    );
    expect(manifest.totals.late).toBeGreaterThan(0);
    expect(manifest.totals.deadLettered).toBeGreaterThan(0);
    expect(manifest.totals.duplicates).toBeGreaterThan(0);
    await harness.produce(topics.inputTopic, toInputMessages(records));

    const config = testProcessorConfig({
      ...topics,
      applicationId,
      brokers,
      esUrl,
      indexPrefix,
    });
    const registry = new Registry();
    const app = createClickstreamApp(config, { registry });
    const results = harness.tail(topics.resultsTopic);
    const late = harness.tail(topics.lateTopic);
    const dlq = harness.tail(topics.deadLetterTopic);
    await app.start();
    try {
      await Promise.all([results.start(), late.start(), dlq.start()]);
      await results.waitFor((r) => resultMismatches(manifest, r).length === 0, 90_000);
      expect(resultMismatches(manifest, results.records)).toEqual([]);
      // Results are keyed by page_url.
      for (const r of results.records) expect(r.key).toBe(decodeWindowResult(r.value!).pageUrl);
      const metrics = await registry.metrics();
      expect(metrics).toMatch(
        new RegExp(
          `tributary_processor_records_in_total\\{stage="${applicationId}",topic="${topics.inputTopic}"\\} ${records.length}`,
        ),
      );
      expect(metrics).toMatch(
        /tributary_processor_watermark_ms\{stage="[^"]+-merge",topic="[^"]+",partition="0"\} \d+/,
      );
      expect(app.job.metrics.commits).toBeGreaterThan(0);

      await late.waitFor((r) => r.length >= manifest.totals.late, 10_000);
      await dlq.waitFor((r) => r.length >= manifest.totals.deadLettered, 10_000);
      expect(late.records).toHaveLength(manifest.totals.late);
      expect(dlq.records).toHaveLength(manifest.totals.deadLettered);
      for (const r of late.records) expect(r.headers['tributary.late.reason']).toBe('window-closed');
      for (const r of dlq.records) {
        const verdict = decodeAndValidateClickstreamEvent(r.value!, { nowMs: Number.MAX_SAFE_INTEGER });
        expect(verdict.ok).toBe(false);
        expect([r.headers['tributary.error.code'], r.headers['tributary.error.reason']]).toEqual(
          verdict.ok ? [] : [verdict.error.code, verdict.error.reason],
        );
      }
      const skippedFieldFaults = dlq.records.filter((r) => r.key.startsWith(SKIPPED_FIELD_FAULT_KEY));
      expect(skippedFieldFaults).toHaveLength(SKIPPED_FIELD_FAULTS.length);

      // Elasticsearch: one document per (page, window), counts equal to the latest result.
      const deadline = Date.now() + 60_000;
      let hits: {
        _source: { page_url: string; window_start: number; click_count: number; view_count: number };
      }[] = [];
      while (Date.now() < deadline) {
        await es(`/${indexPrefix}/_refresh`, { method: 'POST' });
        const body = (await es(`/${indexPrefix}/_search?size=10000`)) as { hits?: { hits: typeof hits } };
        hits = body.hits?.hits ?? [];
        const latest = latestWindowResults(results.records);
        if (
          hits.length === manifest.windows.length &&
          hits.every((h) => {
            const w = latest.get(windowKey(h._source.page_url, h._source.window_start));
            return (
              w !== undefined &&
              w.clickCount === h._source.click_count &&
              w.viewCount === h._source.view_count
            );
          })
        ) {
          break;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(hits).toHaveLength(manifest.windows.length);
      const expected = new Map(manifest.windows.map((w) => [windowKey(w.pageUrl, w.windowStart), w]));
      for (const h of hits) {
        const w = expected.get(windowKey(h._source.page_url, h._source.window_start));
        expect([h._source.click_count, h._source.view_count]).toEqual([w?.clickCount, w?.viewCount]);
      }
    } finally {
      await app.stop();
    }
  });
});
