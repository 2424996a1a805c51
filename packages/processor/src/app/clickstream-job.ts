import type { ClickstreamProjection } from '@tributary/schema';
import { clickstreamAggregator } from '../aggregate/clickstream.js';
import { sessionActivityAggregator } from '../aggregate/session-activity.js';
import type { ProcessorConfig } from '../config/processor-config.js';
import { clickstreamCodec } from '../dsl/clickstream-codec.js';
import type { StreamJobSettings } from '../dsl/logical-plan.js';
import { streamJob } from '../dsl/stream-job.js';
import type { StreamPlan } from '../dsl/stream-plan.js';
import { table, type TableRef } from '../dsl/table.js';
import { session, tumbling } from '../dsl/windows.js';
import { encodeClickstreamResult } from '../engine/clickstream-job.js';
import {
  clickstreamEnrichedEncoder,
  type PageInfo,
  type UserInfo,
} from '../enrichment/clickstream-enrichment.js';
import type { OutputSink } from '../task/output-sink.js';

/** The job's output for the results Elasticsearch refuses in low-latency mode (topic `indexDeadLetterTopic`). */
export const INDEX_DEAD_LETTER_OUTPUT = 'index-dead-letter';

/** The reference-data tables of `--enriched-events`, loaded from `pagesTopic` and `usersTopic`. */
export interface ClickstreamTables {
  readonly pages: TableRef<PageInfo>;
  readonly users: TableRef<UserInfo>;
}

/** What the app adds to the configuration: runtime settings (registry, clock, logger …), tables, a results sink. */
export interface ClickstreamJobRuntime extends Partial<Omit<StreamJobSettings, 'applicationId' | 'brokers'>> {
  /** The tables of `--enriched-events`. @defaultValue new ones (`clickstreamTables(config)`) */
  readonly tables?: ClickstreamTables;
  /** Low-latency mode: writes the results itself; its refusals (`INDEX_DEAD_LETTER_OUTPUT`) go to `indexDeadLetterTopic`. */
  readonly directResults?: OutputSink;
}

/** The pages and users tables of `config` (`pagesTopic`, `usersTopic`), named `pages` and `users`. */
export function clickstreamTables(config: ProcessorConfig): ClickstreamTables {
  return {
    pages: table<PageInfo>(config.pagesTopic, { name: 'pages' }),
    users: table<UserInfo>(config.usersTopic, { name: 'users' }),
  };
}

/**
 * The reference job in the DSL: ClickstreamEvent (key user_id) → dedup by event_id → clicks and views per
 * (page_url, tumbling window), re-keyed through `repartitionTopic` → `WindowResult` (key page_url) on
 * `resultsTopic`. With `enrichedEvents`, stage 1 also writes every accepted event joined with the pages and users
 * tables to `enrichedTopic`; with `sessions`, a stage `sessions` writes session summaries per user.
 */
export function clickstreamJob(config: ProcessorConfig, runtime: ClickstreamJobRuntime = {}): StreamPlan {
  const { tables: given, directResults, ...settings } = runtime;
  const direct = directResults === undefined ? {} : { outputSinks: { results: directResults } };
  const job = streamJob({ ...jobSettings(config), ...settings, ...direct });
  const time = {
    outOfOrderness: config.outOfOrdernessMs,
    allowedLateness: config.allowedLatenessMs,
    idleness: config.idleTimeoutMs,
  };
  const clicks = (projection: boolean) =>
    job
      .source(config.inputTopic, clickstreamCodec({ projection, maxFutureSkewMs: config.maxFutureSkewMs }), {
        partitionedBy: 'userId',
      })
      .dedupBy((e) => e.eventId, { ttl: config.dedupTtlMs, maxEntries: config.maxDedupEntries });
  const tables = config.enrichedEvents ? (given ?? clickstreamTables(config)) : undefined;
  // Enriched events carry every field of the event: stage 1 then decodes fully (same verdicts either way).
  const windows = clicks(!config.fullDecode && tables === undefined)
    .keyBy('pageUrl')
    .window(tumbling({ size: config.windowSizeMs, offset: config.windowOffsetMs }), {
      ...time,
      maxKeysPerWindow: config.maxKeysPerWindow,
      closedWindowRetention: config.closedWindowRetentionMs,
      watermarkHeartbeat: config.watermarkHeartbeatMs,
    });
  const pageCounts = (
    tables === undefined
      ? windows
      : windows.acceptedTo(
          config.enrichedTopic,
          clickstreamEnrichedEncoder({ pages: tables.pages.table, users: tables.users.table }),
          { output: 'enriched', tables: [tables.pages, tables.users] },
        )
  )
    .aggregate(clickstreamAggregator<ClickstreamProjection>())
    .emit('updates')
    .to(config.resultsTopic, encodeClickstreamResult, {
      late: config.lateTopic,
      deadLetter: config.deadLetterTopic,
      latePartials: config.latePartialsTopic,
      repartition: config.repartitionTopic,
      ...(directResults === undefined
        ? {}
        : { extraOutputs: { [INDEX_DEAD_LETTER_OUTPUT]: config.indexDeadLetterTopic } }),
    });
  if (!config.sessions) return pageCounts;
  // Stage 1 already dead-letters invalid events and reports its late ones: the session stage's are dropped.
  const sessions = clicks(!config.fullDecode)
    .keyBy('userId')
    .window(session({ gap: config.sessionGapMs }), { ...time, maxOpenSessions: config.maxOpenSessions })
    .aggregate(
      sessionActivityAggregator<ClickstreamProjection>(
        (e) => e.pageUrl,
        (e) => e.timestamp,
      ),
    )
    .emit('updates')
    .to(config.sessionsTopic, undefined, { late: null, deadLetter: null });
  return pageCounts.alongside('sessions', sessions);
}

/** The runtime settings the configuration sets (Kafka security, registry, clock … come from the app). */
function jobSettings(config: ProcessorConfig): StreamJobSettings {
  return {
    applicationId: config.applicationId,
    brokers: config.brokers,
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
