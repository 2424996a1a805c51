import { decodeClickstreamEvent } from '@tributary/schema';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { clickstreamJob, clickstreamTables } from '../../src/app/clickstream-job.js';
import { resolveProcessorConfig, type ProcessorConfig } from '../../src/config/processor-config.js';
import type { ProcessorConfigInput } from '../../src/config/processor-config.js';
import { STREAM_JOB_OPTIONS, type StreamJobOptions } from '../../src/config/stream-job-options.js';
import { changelogTopic } from '../../src/kafka/topic-names.js';
import { planStages } from '../../src/runtime/stage-plan.js';
import type { OutputSink } from '../../src/task/output-sink.js';
import type { OutputRecord } from '../../src/task/partition-task.js';
import { JobTestDriver, type TestRecord } from '../../src/testing/index.js';
import { FAR_FUTURE_MS, toInput, workload } from '../testing/clickstream-job.js';
import { legacyClickstreamOptions } from './legacy-clickstream-options.js';

const PARTITIONS = 3;

/** A results sink of low-latency mode that refuses every seventh result (as Elasticsearch might). */
class RecordingSink implements OutputSink {
  readonly written: OutputRecord[] = [];
  async write(records: readonly OutputRecord[]): Promise<readonly OutputRecord[]> {
    this.written.push(...records);
    return records
      .filter((_, i) => (this.written.length - records.length + i) % 7 === 0)
      .map((r) => ({ ...r, output: 'index-dead-letter', headers: { reason: 'refused' } }));
  }
}

interface Variant {
  readonly name: string;
  readonly config: ProcessorConfigInput;
  readonly lowLatency?: boolean;
}

const VARIANTS: readonly Variant[] = [
  { name: 'the defaults', config: {} },
  {
    name: 'sessions, enriched events, allowed lateness and renamed topics',
    config: {
      applicationId: 'clicks-app',
      sessions: true,
      enrichedEvents: true,
      allowedLatenessMs: 3_000,
      windowSizeMs: 30_000,
      sessionGapMs: 20_000,
      resultsTopic: 'page-counts',
      repartitionTopic: 'clicks-between',
      lateTopic: 'clicks-late',
      deadLetterTopic: 'clicks-dlq',
      enrichedTopic: 'clicks-enriched',
      maxKeysPerWindow: 40,
      watermarkHeartbeatMs: 300,
    },
  },
  {
    name: 'low latency (results written by a sink, at-least-once), full decode',
    config: { processingGuarantee: 'at-least-once', fullDecode: true, sessions: true },
    lowLatency: true,
  },
];

/** Both definitions of one variant, sharing nothing but the configuration (each its own tables and sink). */
function definitions(variant: Variant): {
  config: ProcessorConfig;
  legacy: () => { options: StreamJobOptions; sink: RecordingSink | undefined };
  dsl: () => { options: StreamJobOptions; sink: RecordingSink | undefined };
} {
  const config = resolveProcessorConfig(variant.config);
  const sinkOf = () => (variant.lowLatency === true ? new RecordingSink() : undefined);
  return {
    config,
    legacy: () => {
      const sink = sinkOf();
      const refs = config.enrichedEvents ? clickstreamTables(config) : undefined;
      const tables = refs && { pages: refs.pages.table, users: refs.users.table };
      return { options: legacyClickstreamOptions(config, { tables, direct: sink }), sink };
    },
    dsl: () => {
      const sink = sinkOf();
      const options = clickstreamJob(config, sink === undefined ? {} : { directResults: sink });
      return { options: options.toStreamJobOptions(), sink };
    },
  };
}

/** What the runtime derives from a job's options: stages (groups), their inputs, created topics and stores. */
function derived(options: StreamJobOptions) {
  const o = STREAM_JOB_OPTIONS.resolve(options);
  const tables = Object.fromEntries([...o.tables].map(([name, t]) => [name, t.table]));
  const plain = Object.fromEntries(
    Object.entries(o).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v)),
  );
  return {
    plain,
    brokers: o.brokers,
    input: o.input,
    outputs: Object.fromEntries(o.outputs),
    outputSinks: [...o.outputSinks.keys()],
    tables: Object.fromEntries([...o.tables].map(([name, t]) => [name, t.topic])),
    stages: planStages(o).map((s) => ({
      id: s.id,
      inputTopic: s.inputTopic,
      inputPartitions: s.inputPartitions,
      outputs: [...s.outputs].sort((a, b) => a.topic.localeCompare(b.topic)),
      upstream: s.upstream,
      onPartitionGrowth: s.onPartitionGrowth,
      stores: s.taskFactory(s.inputTopic, 0, {
        stageId: s.id,
        partitionCount: PARTITIONS,
        upstreamPartitionCount: s.upstream === undefined ? undefined : PARTITIONS,
        tables,
      }).stores,
    })),
  };
}

/** Every record of every topic the job writes (outputs and changelogs), its metrics, and what its sink got. */
async function run(
  config: ProcessorConfig,
  job: { options: StreamJobOptions; sink: RecordingSink | undefined },
  seed: number,
) {
  const registry = new Registry();
  const options = { ...job.options, registry };
  const driver = new JobTestDriver(options, { partitions: { [config.inputTopic]: PARTITIONS } });
  const records = workload(PARTITIONS, 2_500, seed);
  if (config.enrichedEvents) {
    const pages = new Set<string>();
    for (const r of records.slice(0, 400)) {
      try {
        pages.add(decodeClickstreamEvent(r.value).pageUrl);
      } catch {
        // a malformed record: no page
      }
    }
    await driver.pipeAll(
      config.pagesTopic,
      [...pages].map((page, i) => ({ key: page, value: JSON.stringify({ category: `c${i % 4}` }) })),
    );
    await driver.pipeAll(
      config.usersTopic,
      records.slice(0, 300).map((r, i) => ({ key: r.key, value: JSON.stringify({ segment: `s${i % 3}` }) })),
    );
  }
  for (let i = 0; i < records.length; i += 250) {
    await driver.pipeAll(config.inputTopic, records.slice(i, i + 250).map(toInput));
    await driver.advanceTime(170 + (i % 3) * 60);
  }
  await driver.setTime(FAR_FUTURE_MS);
  const resolved = STREAM_JOB_OPTIONS.resolve(options);
  const topics = [...new Set([...resolved.outputs.values()].filter((t): t is string => t !== null))];
  for (const s of derived(job.options).stages)
    for (const store of s.stores) topics.push(changelogTopic(s.id, store));
  const written: Record<string, TestRecord[]> = {};
  for (const topic of topics.sort()) written[topic] = driver.readOutput(topic);
  const stats = { ...driver.metrics };
  await driver.close();
  return { written, stats, metrics: await registry.getMetricsAsJSON(), sink: job.sink?.written };
}

describe('clickstreamJob(config): the DSL definition equals the hand-built job', () => {
  it.each(VARIANTS)('$name: same topics, stage ids, outputs, stores and settings', (variant) => {
    const { legacy, dsl } = definitions(variant);
    expect(derived(dsl().options)).toEqual(derived(legacy().options));
  });

  it.each(VARIANTS)(
    '$name: byte-identical records on every topic, same metrics and sink writes',
    async (variant) => {
      const { config, legacy, dsl } = definitions(variant);
      const expected = await run(config, legacy(), 11);
      const actual = await run(config, dsl(), 11);
      expect(Object.keys(actual.written)).toEqual(Object.keys(expected.written));
      for (const topic of Object.keys(expected.written))
        expect(actual.written[topic], topic).toEqual(expected.written[topic]);
      expect(expected.written[config.resultsTopic]!.length).toBeGreaterThan(100);
      expect(expected.written[config.lateTopic]!.length).toBeGreaterThan(0);
      expect(expected.written[config.deadLetterTopic]!.length).toBeGreaterThan(0);
      if (config.sessions) expect(expected.written[config.sessionsTopic]!.length).toBeGreaterThan(100);
      if (config.enrichedEvents)
        expect(expected.written[config.enrichedTopic]!.length).toBeGreaterThan(1_000);
      if (variant.lowLatency === true) {
        expect(actual.sink).toEqual(expected.sink);
        expect(expected.written[config.indexDeadLetterTopic]!.length).toBeGreaterThan(0);
      }
      expect(actual.stats).toEqual(expected.stats);
      expect(actual.metrics).toEqual(expected.metrics);
    },
  );
});
