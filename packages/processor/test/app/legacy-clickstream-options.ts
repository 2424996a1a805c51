import type { ProcessorConfig } from '../../src/config/processor-config.js';
import type { StreamJobOptions } from '../../src/config/stream-job-options.js';
import {
  clickstreamMergeTask,
  clickstreamPartialTask,
  clickstreamSessionTask,
} from '../../src/engine/clickstream-job.js';
import { clickstreamEnrichedEncoder } from '../../src/enrichment/clickstream-enrichment.js';
import type { PageInfo, UserInfo } from '../../src/enrichment/clickstream-enrichment.js';
import type { EnrichmentTable } from '../../src/enrichment/enrichment-table.js';
import type { OutputSink } from '../../src/task/output-sink.js';

/**
 * The reference app's job as `createClickstreamApp` built it by hand before it was written in the DSL (the task
 * factories of engine/clickstream-job.ts): what `clickstreamJob(config)` must stay equal to.
 */
export function legacyClickstreamOptions(
  config: ProcessorConfig,
  parts: {
    tables?: { pages: EnrichmentTable<PageInfo>; users: EnrichmentTable<UserInfo> } | undefined;
    direct?: OutputSink | undefined;
  } = {},
): StreamJobOptions {
  const { tables, direct } = parts;
  const eventTime = {
    windowSizeMs: config.windowSizeMs,
    windowOffsetMs: config.windowOffsetMs,
    outOfOrdernessMs: config.outOfOrdernessMs,
    allowedLatenessMs: config.allowedLatenessMs,
    idleTimeoutMs: config.idleTimeoutMs,
  };
  return {
    applicationId: config.applicationId,
    brokers: config.brokers,
    input: { topic: config.inputTopic },
    outputs: {
      results: config.resultsTopic,
      late: config.lateTopic,
      'late-partials': config.latePartialsTopic,
      'dead-letter': config.deadLetterTopic,
      repartition: config.repartitionTopic,
      ...(config.sessions
        ? { sessions: config.sessionsTopic, 'sessions-late': null, 'sessions-dead-letter': null }
        : {}),
      ...(tables === undefined ? {} : { enriched: config.enrichedTopic }),
      ...(direct === undefined ? {} : { 'index-dead-letter': config.indexDeadLetterTopic }),
    },
    ...(direct === undefined ? {} : { outputSinks: { results: direct } }),
    ...(tables === undefined
      ? {}
      : {
          tables: {
            pages: { topic: config.pagesTopic, table: tables.pages },
            users: { topic: config.usersTopic, table: tables.users },
          },
        }),
    taskFactory: (_topic, partition) =>
      clickstreamPartialTask({
        ...eventTime,
        dedupTtlMs: config.dedupTtlMs,
        maxFutureSkewMs: config.maxFutureSkewMs,
        maxKeysPerWindow: config.maxKeysPerWindow,
        maxDedupEntries: config.maxDedupEntries,
        projection: !config.fullDecode && tables === undefined,
        inputPartition: partition,
        watermarkHeartbeatMs: config.watermarkHeartbeatMs,
        ...(tables === undefined
          ? {}
          : { acceptedEvents: { output: 'enriched', encode: clickstreamEnrichedEncoder(tables) } }),
      }),
    merge: {
      taskFactory: (_topic, _partition, context) =>
        clickstreamMergeTask({
          ...eventTime,
          upstreamPartitions: context.upstreamPartitionCount ?? 1,
          closedWindowRetentionMs: config.closedWindowRetentionMs,
          latePartialsOutput: 'late-partials',
        }),
    },
    extraStages: config.sessions
      ? [
          {
            name: 'sessions',
            input: { topic: config.inputTopic },
            taskFactory: () =>
              clickstreamSessionTask({
                gapMs: config.sessionGapMs,
                outOfOrdernessMs: config.outOfOrdernessMs,
                allowedLatenessMs: config.allowedLatenessMs,
                idleTimeoutMs: config.idleTimeoutMs,
                dedupTtlMs: config.dedupTtlMs,
                maxFutureSkewMs: config.maxFutureSkewMs,
                maxOpenSessions: config.maxOpenSessions,
                maxDedupEntries: config.maxDedupEntries,
                projection: !config.fullDecode,
                outputs: { results: 'sessions', late: 'sessions-late', deadLetter: 'sessions-dead-letter' },
              }),
          },
        ]
      : [],
    topicPartitions: config.topicPartitions,
    replicationFactor: config.replicationFactor,
    repartitionPartitions: config.repartitionPartitions,
    commitIntervalMs: config.commitIntervalMs,
    metadataMaxAgeMs: config.metadataMaxAgeMs,
    sessionTimeoutMs: config.sessionTimeoutMs,
    processingGuarantee: config.processingGuarantee,
    logLevel: config.logLevel,
    idleTimeoutMs: config.idleTimeoutMs,
  };
}
