import { ELASTICSEARCH_CONNECTION_OPTION_SPECS, elasticsearchClientOptions } from '@tributary/es-sink';
import { KAFKA_SECURITY_OPTION_SPECS } from '@tributary/kafka';
import { option, z, type OptionInput, type OptionValues } from '@tributary/options';
import { EVENT_TIME_DEFAULTS, RECORD_FUTURE_SKEW_MS } from '@tributary/schema';
import { CLICKSTREAM_JOB_DEFAULTS } from '../engine/clickstream-job.js';
import { ENGINE_DEFAULTS } from '../engine/options.js';
import { PARTIAL_TASK_DEFAULTS } from '../engine/partial-aggregation-task.js';
import { brokerList, processorOptions, topicName } from './option-schemas.js';
import { LOG_LEVELS, STREAM_JOB_OPTION_SPECS as JOB } from './stream-job-options.js';

const TOPIC = '<topic>';
const DAY_MS = 86_400_000;
const WEEK_MS = 604_800_000;

function topic(defaultTopic: string, help: string) {
  return option(topicName.default(defaultTopic), help, { placeholder: TOPIC });
}

function int(min: number, max: number, defaultValue: number, help: string) {
  return option(z.int().min(min).max(max).default(defaultValue), help);
}

/**
 * The options of the reference `tributary-processor clickstream` app, declared once: the type, the defaults, the
 * flags (`--kebab-case`), the environment variables (`TRIBUTARY_SNAKE_CASE`), the JSON config file and `--help`.
 */
export const PROCESSOR_OPTION_SPECS = {
  brokers: option(
    brokerList.default(['127.0.0.1:9092']),
    'Kafka bootstrap servers, comma-separated host:port',
  ),
  ...KAFKA_SECURITY_OPTION_SPECS,
  applicationId: option(
    JOB.applicationId.schema.default('tributary-clickstream'),
    'consumer group, transactional id and changelog prefix',
  ),
  inputTopic: topic('clickstream-events', 'Protobuf ClickstreamEvent input topic (key user_id)'),
  resultsTopic: topic(
    'clickstream-metrics',
    'WindowResult output topic (key page_url), written exactly-once',
  ),
  lateTopic: topic('clickstream-late', 'late events, with reason headers'),
  /** Merge partials beyond `closedWindowRetentionMs` (repartition records with late headers), not events. */
  latePartialsTopic: topic(
    'clickstream-late-partials',
    'merge partials that came later than closedWindowRetentionMs (JSON repartition records, late headers)',
  ),
  deadLetterTopic: topic('clickstream-dlq', 'invalid / undecodable events, with reason headers'),
  repartitionTopic: topic('tributary-clickstream-repartition', 'partials by page_url between the two stages'),
  topicPartitions: JOB.topicPartitions,
  /** Of every topic the app creates: outputs, repartition, changelogs, tables, dead letters (managed clusters: 3). */
  replicationFactor: JOB.replicationFactor,
  repartitionPartitions: JOB.repartitionPartitions,
  windowSizeMs: int(1, DAY_MS, EVENT_TIME_DEFAULTS.windowSizeMs, 'tumbling window size'),
  windowOffsetMs: int(0, DAY_MS, EVENT_TIME_DEFAULTS.windowOffsetMs, 'window alignment offset'),
  outOfOrdernessMs: int(0, DAY_MS, EVENT_TIME_DEFAULTS.outOfOrdernessMs, 'bounded out-of-orderness B'),
  allowedLatenessMs: int(0, DAY_MS, EVENT_TIME_DEFAULTS.allowedLatenessMs, 'allowed lateness L'),
  dedupTtlMs: int(1, WEEK_MS, EVENT_TIME_DEFAULTS.dedupTtlMs, 'event-time TTL of remembered event ids'),
  /** An event more than this ahead of its own Kafka record's timestamp is dead-lettered (never moves the watermark). */
  maxFutureSkewMs: int(
    0,
    WEEK_MS,
    RECORD_FUTURE_SKEW_MS,
    "an event more than this ahead of its own Kafka record's timestamp is dead-lettered",
  ),
  /** Distinct keys (pages) per window per input partition; an event adding one more is dead-lettered. */
  maxKeysPerWindow: int(
    1,
    100_000_000,
    ENGINE_DEFAULTS.maxKeysPerWindow,
    'distinct keys (pages) per window per input partition; an event adding one more is dead-lettered',
  ),
  /** Remembered event ids per input partition; above it the oldest are forgotten (their duplicates count again). */
  maxDedupEntries: int(
    1,
    1_000_000_000,
    ENGINE_DEFAULTS.maxDedupEntries,
    'remembered event ids per input partition; above it the oldest are forgotten (their duplicates count again)',
  ),
  /** Open sessions per input partition (with `sessions`); an event opening one more is dead-lettered. */
  maxOpenSessions: int(
    1,
    100_000_000,
    ENGINE_DEFAULTS.maxOpenSessions,
    'open sessions per input partition (with --sessions); an event opening one more is dead-lettered',
  ),
  /** Event time the merge keeps a closed window for partials of idle or new input partitions. */
  closedWindowRetentionMs: int(
    0,
    WEEK_MS,
    ENGINE_DEFAULTS.closedWindowRetentionMs,
    'event time the merge keeps a closed window for partials of idle or newly added input partitions',
  ),
  idleTimeoutMs: JOB.idleTimeoutMs,
  /** Partitions added to the input topic are picked up (a rebalance) within this time. */
  metadataMaxAgeMs: JOB.metadataMaxAgeMs,
  /** Consumer group session timeout: how soon the partitions of a crashed instance are taken over. */
  sessionTimeoutMs: JOB.sessionTimeoutMs,
  commitIntervalMs: JOB.commitIntervalMs,
  processingGuarantee: JOB.processingGuarantee,
  sessions: option(
    z.boolean().default(false),
    'also run session windows per user (group <applicationId>-sessions)',
  ),
  sessionsTopic: topic('clickstream-sessions', 'session summaries (JSON, key user_id)'),
  sessionGapMs: int(1, DAY_MS, CLICKSTREAM_JOB_DEFAULTS.sessionGapMs, 'session inactivity gap'),
  /** Build every field of each event (the full decoder) instead of the five the job reads. Same verdicts. */
  fullDecode: option(
    z.boolean().default(false),
    'decode every field of each event (slower); by default only the five the job reads are built, with the same dead-letter verdicts',
  ),
  /**
   * Deprecated (true = the projection decoder, now the default): `false` means `fullDecode: true`. Mapped onto
   * `fullDecode` when resolved, never part of the resolved configuration.
   */
  projectionDecode: option(
    z.boolean().optional(),
    'deprecated: projection decoding is the default (false = --full-decode)',
  ),
  elasticsearch: option(
    z.boolean().default(true),
    'index results into Elasticsearch through @tributary/es-sink',
  ),
  /**
   * Low-latency mode for dashboards: at-least-once through Kafka, and the merge stage indexes each window result into
   * Elasticsearch itself before committing (deterministic ids, external versions: a replay overwrites with the same
   * version and content, never a regression) instead of a connector reading the results topic.
   */
  lowLatency: option(
    z.boolean().default(false),
    'low-latency mode: at-least-once, window results indexed straight from the merge stage (no results connector)',
  ),
  /** Nodes, API key or basic auth, CA: the connection options of every component (see @tributary/es-sink). */
  ...ELASTICSEARCH_CONNECTION_OPTION_SPECS,
  indexPrefix: option(
    z.string().min(1).default('clickstream-metrics'),
    'daily indices <prefix>-YYYY.MM.DD behind alias <prefix>',
  ),
  /** Dead-letter topic of the results connector (window results Elasticsearch refuses), created when missing. */
  indexDeadLetterTopic: topic(
    'clickstream-metrics-dlq',
    'window results Elasticsearch refuses (mapping error, …), with reason headers; created when missing',
  ),
  watermarkHeartbeatMs: int(
    1,
    3_600_000,
    PARTIAL_TASK_DEFAULTS.watermarkHeartbeatMs,
    'resend an unchanged stage-1 watermark this often while active (capped at idleTimeoutMs / 2)',
  ),
  enrichedEvents: option(
    z.boolean().default(false),
    'also write every accepted event joined with the pages/users tables to enrichedTopic (and index it)',
  ),
  enrichedTopic: topic('clickstream-enriched', 'enriched accepted events (JSON, key event_id), exactly-once'),
  pagesTopic: topic('clickstream-pages', 'compacted reference data: key page_url → {"category": …}'),
  usersTopic: topic('clickstream-users', 'compacted reference data: key user_id → {"segment": …}'),
  eventsIndexPrefix: option(
    z.string().min(1).default('clickstream-events'),
    'enriched events: daily indices <prefix>-YYYY.MM.DD (event time) behind alias <prefix>',
  ),
  /** Dead-letter topic of the enriched-events connector, created when missing. */
  eventsIndexDeadLetterTopic: topic(
    'clickstream-enriched-dlq',
    'enriched events Elasticsearch refuses, with reason headers; created when missing',
  ),
  logLevel: option(
    z.enum(LOG_LEVELS).default('info'),
    'level of the JSON logs (stdout), kafkajs lines included; info = lifecycle, never per record',
  ),
  /** Port of the `/metrics` + `/health` server: -1 = none, 0 = a free port (printed on start). */
  metricsPort: option(
    z.int().min(-1).max(65_535).default(-1),
    'serve /metrics and /health on this port; 0 = a free one (printed), -1 = no server',
  ),
  metricsHost: JOB.metricsHost,
  /** Serve the live dashboard page (implied by an explicit `dashboardPort`). */
  dashboard: option(
    z.boolean().default(false),
    'serve the live dashboard page (top pages, clicks vs views, pipeline figures)',
  ),
  /** Port of the live dashboard: 0 = a free one (printed on start). */
  dashboardPort: option(
    z.int().min(0).max(65_535).default(8088),
    'port of the live dashboard; 0 = a free one (printed); setting it implies dashboard',
    { implies: 'dashboard' },
  ),
};

type Specs = typeof PROCESSOR_OPTION_SPECS;

/** Configuration of the reference `tributary-processor clickstream` app, every default applied. */
export type ProcessorConfig = Omit<OptionValues<Specs>, 'projectionDecode'>;

/** What {@link resolveProcessorConfig} takes: any option, in code. */
export type ProcessorConfigInput = OptionInput<Specs>;

/** The embedded Elasticsearch connectors' dead-letter topics: each must be a topic of its own. */
const INDEX_DEAD_LETTER_TOPICS = ['indexDeadLetterTopic', 'eventsIndexDeadLetterTopic'] as const;

/** Later sources win: a source of higher rank overrides a lower one. */
const SOURCE_RANK = { defaults: 0, options: 1, file: 1, env: 2, flags: 3 } as const;

/**
 * The app's options: one validation for code, flags, environment and config file. Besides each value's own rules,
 * the Elasticsearch connection must hold together (when indexing), the connectors' dead-letter topics must differ
 * from every other topic, and the deprecated `projectionDecode` is mapped onto `fullDecode` (the later source wins;
 * both in one source must agree).
 */
export const PROCESSOR_OPTIONS = processorOptions(
  'tributary-processor',
  PROCESSOR_OPTION_SPECS,
  (c, fail, sourceOf) => {
    if (c.elasticsearch) elasticsearchClientOptions(c, fail);
    // The options declared with topic() (applicationId names groups and prefixes, not a topic).
    const topics = (Object.keys(PROCESSOR_OPTION_SPECS) as (keyof Specs)[]).filter(
      (key) => PROCESSOR_OPTION_SPECS[key].placeholder === TOPIC,
    );
    for (const key of INDEX_DEAD_LETTER_TOPICS) {
      const clash = topics.find((other) => other !== key && c[other] === c[key]);
      if (clash !== undefined)
        fail(
          key,
          `must differ from ${clash} (both ${JSON.stringify(c[key])}): each connector writes records it cannot index there`,
        );
    }
    if (c.lowLatency) {
      if (!c.elasticsearch)
        fail('lowLatency', 'needs elasticsearch: the merge stage indexes the results itself');
      if (c.processingGuarantee === 'exactly-once' && sourceOf('processingGuarantee') !== undefined)
        fail('lowLatency', 'runs at-least-once: it contradicts processingGuarantee exactly-once');
      c.processingGuarantee = 'at-least-once';
    }
    const alias = c.projectionDecode;
    delete (c as Partial<OptionValues<Specs>>).projectionDecode;
    if (alias === undefined) return;
    const rank = (key: keyof Specs): number => SOURCE_RANK[sourceOf(key)?.kind ?? 'defaults'];
    if (rank('fullDecode') > rank('projectionDecode')) return;
    if (rank('fullDecode') === rank('projectionDecode') && c.fullDecode === alias)
      fail('projectionDecode', `contradicts fullDecode (${String(c.fullDecode)})`);
    c.fullDecode = !alias;
  },
);

/** Validates the app's options given in code, every default applied. Throws `TRIB_PROC_INVALID_OPTION`. */
export function resolveProcessorConfig(input: ProcessorConfigInput = {}): ProcessorConfig {
  return PROCESSOR_OPTIONS.resolve(input);
}
