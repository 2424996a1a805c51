import { WINDOW_RESULT_MAPPINGS, createKafkaEsConnector } from '@tributary/es-sink';
import type { KafkaEsConnector } from '@tributary/es-sink';
import type { ClickstreamEvent } from '@tributary/schema';
import type { Registry } from 'prom-client';
import { clickstreamAggregator } from '../aggregate/clickstream.js';
import type { ProcessorConfig } from '../config/processor-config.js';
import { MergeTask } from '../engine/merge-task.js';
import { PartialAggregationTask } from '../engine/partial-aggregation-task.js';
import { createStreamJob } from '../runtime/stream-job.js';
import type { StreamJob } from '../runtime/stream-job.js';
import { TumblingWindows } from '../windows/tumbling.js';
import { clickstreamDecoder, windowResultEncoder } from './clickstream-codec.js';

export interface ClickstreamAppDependencies {
  readonly registry?: Registry;
  readonly now?: () => number;
  readonly onError?: (error: Error) => void;
}

export interface ClickstreamApp {
  readonly config: ProcessorConfig;
  readonly job: StreamJob;
  /** The embedded Elasticsearch connector (undefined with `elasticsearch: false`). */
  readonly connector: KafkaEsConnector | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The reference job: ClickstreamEvent (key user_id) → per input partition the event-time contract (dead-letter,
 * late, dedup) and partial counts per (page_url, 1-minute window) → repartition by page_url → merge (min watermark
 * over the upstream partitions) → WindowResult (key page_url) exactly-once to the results topic → Elasticsearch.
 */
export function createClickstreamApp(config: ProcessorConfig, deps: ClickstreamAppDependencies = {}): ClickstreamApp {
  const window = new TumblingWindows({ sizeMs: config.windowSizeMs, offsetMs: config.windowOffsetMs });
  const eventTime = {
    outOfOrdernessMs: config.outOfOrdernessMs,
    allowedLatenessMs: config.allowedLatenessMs,
    idleTimeoutMs: config.idleTimeoutMs,
  };
  const aggregator = clickstreamAggregator<ClickstreamEvent>();
  const job = createStreamJob({
    applicationId: config.applicationId,
    brokers: config.brokers,
    input: { topic: config.inputTopic },
    outputs: {
      results: config.resultsTopic,
      late: config.lateTopic,
      'dead-letter': config.deadLetterTopic,
      repartition: config.repartitionTopic,
    },
    taskFactory: (_topic, partition) =>
      new PartialAggregationTask<ClickstreamEvent, ReturnType<typeof aggregator.create>, ReturnType<typeof aggregator.result>>({
        inputPartition: partition,
        decode: clickstreamDecoder(),
        timestampOf: (e) => e.timestamp,
        keyOf: (e) => e.pageUrl,
        eventIdOf: (e) => e.eventId,
        window,
        aggregator,
        dedupTtlMs: config.dedupTtlMs,
        ...eventTime,
      }),
    merge: {
      taskFactory: (_topic, _partition, context) =>
        new MergeTask({
          upstreamPartitions: context.upstreamPartitionCount ?? 1,
          aggregator,
          encodeResult: windowResultEncoder,
          ...eventTime,
        }),
    },
    topicPartitions: config.topicPartitions,
    repartitionPartitions: config.repartitionPartitions,
    commitIntervalMs: config.commitIntervalMs,
    processingGuarantee: config.processingGuarantee,
    logLevel: config.logLevel,
    ...(deps.registry === undefined ? {} : { registry: deps.registry }),
    ...(deps.now === undefined ? {} : { now: deps.now }),
    ...(deps.onError === undefined ? {} : { onError: deps.onError }),
  });
  const connector = config.elasticsearch
    ? createKafkaEsConnector({
        brokers: [...config.brokers],
        topic: config.resultsTopic,
        groupId: `${config.applicationId}-elasticsearch`,
        format: 'window-result',
        sink: {
          node: config.elasticsearchUrl,
          index: `${config.indexPrefix}-{yyyy.MM.dd}`,
          indexDateField: 'window_start',
          template: {
            name: config.indexPrefix,
            indexPatterns: [`${config.indexPrefix}-*`],
            mappings: WINDOW_RESULT_MAPPINGS,
            alias: config.indexPrefix,
            replicas: 0,
          },
        },
      })
    : undefined;
  return {
    config,
    job,
    connector,
    async start() {
      await job.start();
      // The connector reads the results topic read_committed, so it only ever indexes committed results.
      if (connector !== undefined) await connector.start();
    },
    async stop() {
      await job.stop();
      if (connector !== undefined) await connector.stop();
    },
  };
}
