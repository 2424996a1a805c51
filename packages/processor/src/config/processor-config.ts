import { ENGINE_DEFAULTS } from '../engine/options.js';
import { invalidOption } from '../errors.js';
import { LOG_LEVELS, PROCESSING_GUARANTEES } from './stream-job-options.js';
import type { LogLevel, ProcessingGuarantee } from './stream-job-options.js';
import { EVENT_TIME_DEFAULTS } from '@tributary/schema';

/** Configuration of the reference `tributary-processor clickstream` app (flags, TRIBUTARY_* env, JSON file). */
export interface ProcessorConfig {
  readonly brokers: readonly string[];
  readonly applicationId: string;
  readonly inputTopic: string;
  readonly resultsTopic: string;
  readonly lateTopic: string;
  /** Merge partials beyond `closedWindowRetentionMs` (repartition records with late headers), not events. */
  readonly latePartialsTopic: string;
  readonly deadLetterTopic: string;
  readonly repartitionTopic: string;
  readonly topicPartitions: number;
  readonly repartitionPartitions: number;
  readonly windowSizeMs: number;
  readonly windowOffsetMs: number;
  readonly outOfOrdernessMs: number;
  readonly allowedLatenessMs: number;
  readonly dedupTtlMs: number;
  /** An event more than this ahead of its own Kafka record's timestamp is dead-lettered (never moves the watermark). */
  readonly maxFutureSkewMs: number;
  /** Distinct keys (pages) per window per input partition; an event adding one more is dead-lettered. */
  readonly maxKeysPerWindow: number;
  /** Remembered event ids per input partition; above it the oldest are forgotten (their duplicates count again). */
  readonly maxDedupEntries: number;
  /** Open sessions per input partition (with `sessions`); an event opening one more is dead-lettered. */
  readonly maxOpenSessions: number;
  /** Event time the merge keeps a closed window for partials of idle or new input partitions. */
  readonly closedWindowRetentionMs: number;
  readonly idleTimeoutMs: number;
  /** Partitions added to the input topic are picked up (a rebalance) within this time. */
  readonly metadataMaxAgeMs: number;
  /** Consumer group session timeout: how soon the partitions of a crashed instance are taken over. */
  readonly sessionTimeoutMs: number;
  readonly commitIntervalMs: number;
  readonly processingGuarantee: ProcessingGuarantee;
  /** Build every field of each event (the full decoder) instead of the five the job reads. Same verdicts. */
  readonly fullDecode: boolean;
  readonly sessions: boolean;
  readonly sessionsTopic: string;
  readonly sessionGapMs: number;
  readonly elasticsearch: boolean;
  readonly elasticsearchUrl: string;
  readonly indexPrefix: string;
  /** Dead-letter topic of the results connector (window results Elasticsearch refuses), created when missing. */
  readonly indexDeadLetterTopic: string;
  readonly watermarkHeartbeatMs: number;
  readonly enrichedEvents: boolean;
  readonly enrichedTopic: string;
  readonly pagesTopic: string;
  readonly usersTopic: string;
  readonly eventsIndexPrefix: string;
  /** Dead-letter topic of the enriched-events connector, created when missing. */
  readonly eventsIndexDeadLetterTopic: string;
  readonly logLevel: LogLevel;
  /** Port of the `/metrics` + `/health` server: -1 = none, 0 = a free port (printed on start). */
  readonly metricsPort: number;
  readonly metricsHost: string;
  /** Serve the live dashboard page (implied by an explicit `dashboardPort`). */
  readonly dashboard: boolean;
  /** Port of the live dashboard: 0 = a free one (printed on start). */
  readonly dashboardPort: number;
}

/** Defaults of every clickstream app option: the reference job (1-minute windows, 5 s out-of-orderness). */
export const PROCESSOR_DEFAULTS: ProcessorConfig = {
  brokers: ['127.0.0.1:9092'],
  applicationId: 'tributary-clickstream',
  inputTopic: 'clickstream-events',
  resultsTopic: 'clickstream-metrics',
  lateTopic: 'clickstream-late',
  latePartialsTopic: 'clickstream-late-partials',
  deadLetterTopic: 'clickstream-dlq',
  repartitionTopic: 'tributary-clickstream-repartition',
  topicPartitions: 0,
  repartitionPartitions: 0,
  windowSizeMs: EVENT_TIME_DEFAULTS.windowSizeMs,
  windowOffsetMs: EVENT_TIME_DEFAULTS.windowOffsetMs,
  outOfOrdernessMs: EVENT_TIME_DEFAULTS.outOfOrdernessMs,
  allowedLatenessMs: EVENT_TIME_DEFAULTS.allowedLatenessMs,
  dedupTtlMs: EVENT_TIME_DEFAULTS.dedupTtlMs,
  maxFutureSkewMs: 300_000,
  maxKeysPerWindow: ENGINE_DEFAULTS.maxKeysPerWindow,
  maxDedupEntries: ENGINE_DEFAULTS.maxDedupEntries,
  maxOpenSessions: ENGINE_DEFAULTS.maxOpenSessions,
  closedWindowRetentionMs: 600_000,
  idleTimeoutMs: EVENT_TIME_DEFAULTS.idleTimeoutMs,
  metadataMaxAgeMs: 30_000,
  sessionTimeoutMs: 30_000,
  commitIntervalMs: 200,
  processingGuarantee: 'exactly-once',
  fullDecode: false,
  sessions: false,
  sessionsTopic: 'clickstream-sessions',
  sessionGapMs: 1_800_000,
  elasticsearch: true,
  elasticsearchUrl: 'http://127.0.0.1:9200',
  indexPrefix: 'clickstream-metrics',
  indexDeadLetterTopic: 'clickstream-metrics-dlq',
  watermarkHeartbeatMs: 1_000,
  enrichedEvents: false,
  enrichedTopic: 'clickstream-enriched',
  pagesTopic: 'clickstream-pages',
  usersTopic: 'clickstream-users',
  eventsIndexPrefix: 'clickstream-events',
  eventsIndexDeadLetterTopic: 'clickstream-enriched-dlq',
  logLevel: 'info',
  metricsPort: -1,
  metricsHost: '127.0.0.1',
  dashboard: false,
  dashboardPort: 8088,
};

type Kind = 'string' | 'topic' | 'int' | 'bool' | 'list' | 'url' | { readonly oneOf: readonly string[] };

interface FieldSpec {
  readonly kind: Kind;
  readonly min?: number;
  readonly max?: number;
  readonly help: string;
}

/** One table drives validation, flags (`--kebab-case`), env (`TRIBUTARY_SNAKE_CASE`) and `--help`. */
export const PROCESSOR_CONFIG_FIELDS: { readonly [K in keyof ProcessorConfig]: FieldSpec } = {
  brokers: { kind: 'list', help: 'Kafka bootstrap servers, comma-separated host:port' },
  applicationId: { kind: 'topic', help: 'consumer group, transactional id and changelog prefix' },
  inputTopic: { kind: 'topic', help: 'Protobuf ClickstreamEvent input topic (key user_id)' },
  resultsTopic: { kind: 'topic', help: 'WindowResult output topic (key page_url), written exactly-once' },
  lateTopic: { kind: 'topic', help: 'late events, with reason headers' },
  latePartialsTopic: {
    kind: 'topic',
    help: 'merge partials that came later than closedWindowRetentionMs (JSON repartition records, late headers)',
  },
  deadLetterTopic: { kind: 'topic', help: 'invalid / undecodable events, with reason headers' },
  repartitionTopic: { kind: 'topic', help: 'partials by page_url between the two stages' },
  topicPartitions: {
    kind: 'int',
    min: 0,
    max: 10_000,
    help: 'partitions of created output topics (0 = as the input)',
  },
  repartitionPartitions: {
    kind: 'int',
    min: 0,
    max: 10_000,
    help: 'partitions of the repartition topic = merge parallelism (0 = as the input)',
  },
  windowSizeMs: { kind: 'int', min: 1, max: 86_400_000, help: 'tumbling window size' },
  windowOffsetMs: { kind: 'int', min: 0, max: 86_400_000, help: 'window alignment offset' },
  outOfOrdernessMs: { kind: 'int', min: 0, max: 86_400_000, help: 'bounded out-of-orderness B' },
  allowedLatenessMs: { kind: 'int', min: 0, max: 86_400_000, help: 'allowed lateness L' },
  dedupTtlMs: { kind: 'int', min: 1, max: 604_800_000, help: 'event-time TTL of remembered event ids' },
  maxFutureSkewMs: {
    kind: 'int',
    min: 0,
    max: 604_800_000,
    help: "an event more than this ahead of its own Kafka record's timestamp is dead-lettered",
  },
  maxKeysPerWindow: {
    kind: 'int',
    min: 1,
    max: 100_000_000,
    help: 'distinct keys (pages) per window per input partition; an event adding one more is dead-lettered',
  },
  maxDedupEntries: {
    kind: 'int',
    min: 1,
    max: 1_000_000_000,
    help: 'remembered event ids per input partition; above it the oldest are forgotten (their duplicates count again)',
  },
  maxOpenSessions: {
    kind: 'int',
    min: 1,
    max: 100_000_000,
    help: 'open sessions per input partition (with --sessions); an event opening one more is dead-lettered',
  },
  closedWindowRetentionMs: {
    kind: 'int',
    min: 0,
    max: 604_800_000,
    help: 'event time the merge keeps a closed window for partials of idle or newly added input partitions',
  },
  idleTimeoutMs: {
    kind: 'int',
    min: 0,
    max: 86_400_000,
    help: 'processing time without data before a partition is idle',
  },
  metadataMaxAgeMs: {
    kind: 'int',
    min: 100,
    max: 3_600_000,
    help: 'partitions added to the input topic are picked up within this time',
  },
  sessionTimeoutMs: {
    kind: 'int',
    min: 6_000,
    max: 300_000,
    help: 'consumer group session timeout: how soon the partitions of a crashed instance are taken over',
  },
  commitIntervalMs: { kind: 'int', min: 10, max: 600_000, help: 'transaction commit interval per task' },
  processingGuarantee: { kind: { oneOf: PROCESSING_GUARANTEES }, help: 'exactly-once or at-least-once' },
  sessions: { kind: 'bool', help: 'also run session windows per user (group <applicationId>-sessions)' },
  sessionsTopic: { kind: 'topic', help: 'session summaries (JSON, key user_id)' },
  sessionGapMs: { kind: 'int', min: 1, max: 86_400_000, help: 'session inactivity gap' },
  fullDecode: {
    kind: 'bool',
    help: 'decode every field of each event (slower); by default only the five the job reads are built, with the same dead-letter verdicts',
  },
  elasticsearch: { kind: 'bool', help: 'index results into Elasticsearch through @tributary/es-sink' },
  elasticsearchUrl: { kind: 'url', help: 'Elasticsearch base URL' },
  indexPrefix: { kind: 'string', help: 'daily indices <prefix>-YYYY.MM.DD behind alias <prefix>' },
  indexDeadLetterTopic: {
    kind: 'topic',
    help: 'window results Elasticsearch refuses (mapping error, …), with reason headers; created when missing',
  },
  watermarkHeartbeatMs: {
    kind: 'int',
    min: 1,
    max: 3_600_000,
    help: 'resend an unchanged stage-1 watermark this often while active (capped at idleTimeoutMs / 2)',
  },
  enrichedEvents: {
    kind: 'bool',
    help: 'also write every accepted event joined with the pages/users tables to enrichedTopic (and index it)',
  },
  enrichedTopic: { kind: 'topic', help: 'enriched accepted events (JSON, key event_id), exactly-once' },
  pagesTopic: { kind: 'topic', help: 'compacted reference data: key page_url → {"category": …}' },
  usersTopic: { kind: 'topic', help: 'compacted reference data: key user_id → {"segment": …}' },
  eventsIndexPrefix: {
    kind: 'string',
    help: 'enriched events: daily indices <prefix>-YYYY.MM.DD (event time) behind alias <prefix>',
  },
  eventsIndexDeadLetterTopic: {
    kind: 'topic',
    help: 'enriched events Elasticsearch refuses, with reason headers; created when missing',
  },
  logLevel: {
    kind: { oneOf: LOG_LEVELS },
    help: 'level of the JSON logs (stdout), kafkajs lines included; info = lifecycle, never per record',
  },
  metricsPort: {
    kind: 'int',
    min: -1,
    max: 65_535,
    help: 'serve /metrics and /health on this port; 0 = a free one (printed), -1 = no server',
  },
  metricsHost: { kind: 'string', help: 'interface of the metrics server' },
  dashboard: {
    kind: 'bool',
    help: 'serve the live dashboard page (top pages, clicks vs views, pipeline figures)',
  },
  dashboardPort: {
    kind: 'int',
    min: 0,
    max: 65_535,
    help: 'port of the live dashboard; 0 = a free one (printed); setting it implies dashboard',
  },
};

/** Options that switch another one on when given explicitly (by any layer) while that one is not given. */
const IMPLIES: readonly (readonly [keyof ProcessorConfig, keyof ProcessorConfig])[] = [
  ['dashboardPort', 'dashboard'],
];

export const PROCESSOR_CONFIG_KEYS = Object.keys(PROCESSOR_CONFIG_FIELDS) as (keyof ProcessorConfig)[];

/** The dead-letter topics of the embedded Elasticsearch connectors: each must be a topic of its own. */
const INDEX_DEAD_LETTER_TOPICS: readonly (keyof ProcessorConfig)[] = [
  'indexDeadLetterTopic',
  'eventsIndexDeadLetterTopic',
];

/** A former option kept as an alias: a boolean that sets `target` (inverted when `inverted`). */
export interface DeprecatedBooleanOption {
  readonly target: keyof ProcessorConfig;
  readonly inverted: boolean;
  readonly help: string;
}

/**
 * Former options still accepted by every layer (flags, env, config file). `projectionDecode` (true = the projection
 * decoder) was opt-in until the projection decoder gave the full decoder's verdicts; it is now the default, so
 * `--projection-decode` is a no-op and `projectionDecode: false` means `fullDecode: true`.
 */
export const DEPRECATED_PROCESSOR_OPTIONS: { readonly [name: string]: DeprecatedBooleanOption } = {
  projectionDecode: {
    target: 'fullDecode',
    inverted: true,
    help: 'deprecated: projection decoding is the default (false = --full-decode)',
  },
};

export const DEPRECATED_PROCESSOR_KEYS = Object.keys(DEPRECATED_PROCESSOR_OPTIONS);

/** A partial configuration where every value may still be a raw string (from flags or env). */
export type RawProcessorConfig = { [K in keyof ProcessorConfig]?: unknown };

/** Rewrites a layer's deprecated options onto their targets; a contradiction within the layer is an error. */
function withoutDeprecated(source: string, values: Record<string, unknown>): Record<string, unknown> {
  const out = { ...values };
  for (const name of DEPRECATED_PROCESSOR_KEYS) {
    const alias = DEPRECATED_PROCESSOR_OPTIONS[name]!;
    const value = out[name];
    delete out[name];
    if (value === undefined) continue;
    const flag = coerce(name, { kind: 'bool', help: alias.help }, value, source) as boolean;
    const target = alias.inverted ? !flag : flag;
    const given = out[alias.target];
    if (
      given !== undefined &&
      coerce(alias.target, PROCESSOR_CONFIG_FIELDS[alias.target], given, source) !== target
    )
      throw invalidOption(name, `contradicts ${alias.target} (both from ${source})`);
    out[alias.target] = target;
  }
  return out;
}

/**
 * Merges layers (later wins) over PROCESSOR_DEFAULTS and validates once. Unknown keys and bad values throw
 * `TRIB_PROC_INVALID_OPTION` naming the option (and where it came from, via `source`).
 */
export function resolveProcessorConfig(
  ...layers: { source: string; values: Record<string, unknown> }[]
): ProcessorConfig {
  const merged: Record<string, unknown> = { ...PROCESSOR_DEFAULTS };
  const origin: Record<string, string> = {};
  for (const { source, values } of layers) {
    for (const [key, value] of Object.entries(withoutDeprecated(source, values))) {
      if (value === undefined) continue;
      if (!(key in PROCESSOR_CONFIG_FIELDS))
        throw invalidOption(key, `is not a processor option (from ${source})`);
      merged[key] = value;
      origin[key] = source;
    }
  }
  for (const [given, implied] of IMPLIES) {
    if (origin[given] !== undefined && origin[implied] === undefined) {
      merged[implied] = true;
      origin[implied] = `${origin[given]} (implied by ${given})`;
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of PROCESSOR_CONFIG_KEYS) {
    out[key] = coerce(key, PROCESSOR_CONFIG_FIELDS[key], merged[key], origin[key] ?? 'defaults');
  }
  for (const key of INDEX_DEAD_LETTER_TOPICS) {
    const clash = PROCESSOR_CONFIG_KEYS.find(
      (other) =>
        other !== key &&
        other !== 'applicationId' &&
        PROCESSOR_CONFIG_FIELDS[other].kind === 'topic' &&
        out[other] === out[key],
    );
    if (clash !== undefined)
      throw invalidOption(
        key,
        `must differ from ${clash} (both ${JSON.stringify(out[key])}, ${key} from ${origin[key] ?? 'defaults'}): each connector writes records it cannot index there`,
      );
  }
  return out as unknown as ProcessorConfig;
}

function coerce(name: string, spec: FieldSpec, value: unknown, source: string): unknown {
  const fail = (constraint: string): never => {
    throw invalidOption(name, `${constraint} (got ${JSON.stringify(value)} from ${source})`);
  };
  const kind = spec.kind;
  if (typeof kind === 'object') {
    if (typeof value !== 'string' || !kind.oneOf.includes(value))
      fail(`must be one of ${kind.oneOf.join(', ')}`);
    return value;
  }
  switch (kind) {
    case 'int': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (
        typeof n !== 'number' ||
        !Number.isInteger(n) ||
        n < (spec.min ?? 0) ||
        n > (spec.max ?? Number.MAX_SAFE_INTEGER)
      ) {
        fail(`must be an integer from ${spec.min ?? 0} to ${spec.max ?? Number.MAX_SAFE_INTEGER}`);
      }
      return n;
    }
    case 'bool': {
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      return fail('must be true or false');
    }
    case 'list': {
      const list =
        typeof value === 'string'
          ? value
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== '')
          : value;
      if (
        !Array.isArray(list) ||
        list.length === 0 ||
        !list.every((b) => typeof b === 'string' && /^[^\s:]+:\d{1,5}$/.test(b))
      ) {
        fail('must be a non-empty list of host:port');
      }
      return list;
    }
    case 'topic':
      if (typeof value !== 'string' || !/^[A-Za-z0-9._-]{1,249}$/.test(value))
        fail('must be a valid Kafka topic name');
      return value;
    case 'url':
      if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
        fail('must be an http(s) URL');
      return value;
    case 'string':
      if (typeof value !== 'string' || value.length === 0) fail('must be a non-empty string');
      return value;
  }
}

/** `applicationId` → `TRIBUTARY_APPLICATION_ID`. */
export function envName(key: string): string {
  return `TRIBUTARY_${key.replace(/([A-Z])/g, '_$1').toUpperCase()}`;
}

/** `applicationId` → `application-id`. */
export function flagName(key: string): string {
  return key.replace(/([A-Z])/g, '-$1').toLowerCase();
}

/** Reads every `TRIBUTARY_*` variable that names an option. */
export function configFromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of [...PROCESSOR_CONFIG_KEYS, ...DEPRECATED_PROCESSOR_KEYS]) {
    const value = env[envName(key)];
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}
