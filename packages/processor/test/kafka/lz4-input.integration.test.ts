import { runLoad } from '@tributary/producer';
import type { GroundTruthManifest } from '@tributary/producer';
import { decodeWindowResult } from '@tributary/schema';
import { loadKafkajs } from '@tributary/kafka';
import { describe, expect, inject, it } from 'vitest';
import { createClickstreamApp } from '../../src/app/clickstream.js';
import { CLICKSTREAM_RULES as RULES } from '../helpers/clickstream-rules.js';
import { testProcessorConfig } from '../helpers/clickstream-config.js';
import { useClickstreamSuite } from '../helpers/clickstream-suite.js';
import type { ReadRecord } from '../helpers/kafka-harness.js';

const { CompressionCodecs, CompressionTypes } = loadKafkajs();
const brokers = inject('kafkaBrokers');
const PARTITIONS = 2;
const EVENTS = 300;

/** Windows of the manifest whose latest result (by version) differs or is missing. */
function mismatches(manifest: GroundTruthManifest, records: readonly ReadRecord[]): string[] {
  const latest = new Map<string, { clickCount: number; viewCount: number; version: number }>();
  for (const r of records) {
    const w = decodeWindowResult(r.value!);
    const k = `${w.windowStart}|${w.pageUrl}`;
    const seen = latest.get(k);
    if (seen === undefined || w.version > seen.version) latest.set(k, w);
  }
  const problems: string[] = [];
  for (const w of manifest.windows) {
    const got = latest.get(`${w.windowStart}|${w.pageUrl}`);
    if (got?.clickCount !== w.clickCount || got.viewCount !== w.viewCount)
      problems.push(`${w.pageUrl}@${w.windowStart}: expected ${w.clickCount}/${w.viewCount}`);
  }
  if (latest.size !== manifest.windows.length)
    problems.push(`expected ${manifest.windows.length} windows, got ${latest.size}`);
  return problems;
}

describe('clickstream job on LZ4-compressed input', () => {
  const { harness, suffix, topics } = useClickstreamSuite(brokers, 'lz4', PARTITIONS, (s) => [
    `${s}-app`,
    `${s}-app-merge`,
  ]);
  const applicationId = `${suffix}-app`;

  it('registers the LZ4 codec itself and aggregates what the producer wrote with compression lz4', async () => {
    const report = await runLoad({
      ...RULES,
      brokers,
      topic: topics.inputTopic,
      compression: 'lz4',
      count: EVENTS,
      rate: 0,
      // Event time in the past, so idle partitions let the watermark close every window.
      eventTimeOriginMs: Date.UTC(2026, 0, 1),
      eventsPerSecond: 2,
      seed: 11,
      pages: 10,
      users: 50,
      progressIntervalMs: 0,
    });
    expect(report.sent).toBe(EVENTS);
    expect(report.manifest.windows.length).toBeGreaterThan(0);
    // runLoad registered the codec in this process; drop it so only the job's own registration can read the input.
    delete (CompressionCodecs as Partial<typeof CompressionCodecs>)[CompressionTypes.LZ4];

    const config = testProcessorConfig({
      ...topics,
      applicationId,
      brokers,
      elasticsearch: false,
    });
    const app = createClickstreamApp(config);
    const results = harness.tail(topics.resultsTopic);
    await app.start();
    try {
      expect(CompressionCodecs[CompressionTypes.LZ4]).toBeTypeOf('function');
      await results.start();
      await results.waitFor((r) => mismatches(report.manifest, r).length === 0, 60_000);
      expect(mismatches(report.manifest, results.records)).toEqual([]);
    } finally {
      await app.stop();
    }
  });
});
