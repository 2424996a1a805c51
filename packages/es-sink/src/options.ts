import type { Client, ClientOptions } from '@elastic/elasticsearch';
import type { Registry } from 'prom-client';
import { invalidOption } from './errors.js';
import { validateTemplateSpec, type IndexTemplateSpec } from './index-management/index-template.js';
import {
  BULK_ACTION_VALUES,
  VERSION_TYPE_VALUES,
  type Ack,
  type BulkAction,
  type DeadLetterReason,
  type SinkItem,
  type VersionType,
} from './types.js';

/** Defaults of every numeric and enumerated sink option, modelled on the anchors (Kafka Connect ES, Logstash). */
export const SINK_DEFAULTS = {
  /**
   * Close a bulk request at this many documents.
   * @defaultValue 1000
   */
  flushDocs: 1000,
  /**
   * Close a bulk request at this many uncompressed bytes (elasticsearch-js helper and Kafka Connect: 5 MiB).
   * @defaultValue 5 MiB
   */
  flushBytes: 5 * 1024 * 1024,
  /**
   * Maximum age of the OLDEST buffered document before its batch is sent (not an idle timer).
   * @defaultValue 1000
   */
  flushIntervalMs: 1000,
  /**
   * Bulk requests in flight (starting value when adaptive).
   * @defaultValue 2
   */
  concurrency: 2,
  /**
   * AIMD on the in-flight limit: halve on 429s and latency spikes, +1 per round trip otherwise.
   * @defaultValue false
   */
  adaptiveConcurrency: false,
  /** @defaultValue 1 */
  minConcurrency: 1,
  /** @defaultValue 8 */
  maxConcurrency: 8,
  /**
   * `write()` waits while this many documents are accepted but not completed (bounded memory).
   * @defaultValue 10000
   */
  maxBufferedDocs: 10_000,
  /**
   * `write()` waits while this many bytes are accepted but not completed.
   * @defaultValue 64 MiB
   */
  maxBufferedBytes: 64 * 1024 * 1024,
  /**
   * First backoff window; each retry doubles it (full jitter).
   * @defaultValue 100
   */
  retryInitialDelayMs: 100,
  /** @defaultValue 30000 */
  retryMaxDelayMs: 30_000,
  /**
   * Give up a document still failing transiently (connection error, timeout, 429, 5xx) this long after its first
   * attempt: dead-letter it with "retry deadline exceeded". `0` = no deadline: retry until Elasticsearch takes it
   * (as Logstash does); while it is down, `maxBufferedDocs`/`maxBufferedBytes` hold memory and a Kafka source pauses.
   * @defaultValue 0 (no deadline)
   */
  retryDeadlineMs: 0,
  /**
   * Per-request timeout of a bulk request.
   * @defaultValue 30000
   */
  requestTimeoutMs: 30_000,
  /** @defaultValue 'index' */
  action: 'index' as BulkAction,
  /** @defaultValue 'external' */
  versionType: 'external' as VersionType,
  /**
   * A request slower than this multiple of the smoothed latency counts as congestion (adaptive concurrency).
   * @defaultValue 2
   */
  latencyFactor: 2,
} as const;

/** Authentication passed through to the ES client; never logged (see `redactOptions`). */
export type SinkAuth = { username: string; password: string } | { apiKey: string } | { bearer: string };

export interface BulkSinkOptions<TDoc = Record<string, unknown>, TContext = unknown> {
  /** Elasticsearch URL(s). Required unless `client` is given. */
  node?: string | string[];
  /** An existing client (the sink then does not close it). */
  client?: Client;
  auth?: SinkAuth;
  /** TLS options passed to the client (`ca`, `rejectUnauthorized`, …). */
  tls?: ClientOptions['tls'];
  /** gzip request bodies. */
  compression?: boolean;
  /** Index (or data stream) name, date pattern (`metrics-{yyyy.MM.dd}`), or a function of the document. */
  index: string | ((document: TDoc) => string);
  /** Document date field used by a date pattern in `index` (UTC). */
  indexDateField?: string;
  /** Default bulk action. */
  action?: BulkAction;
  /** Document id from the document (deterministic ids make retries idempotent). */
  idKey?: (document: TDoc) => string | undefined;
  /** External version from the document (a Kafka offset or a result version). */
  versionKey?: (document: TDoc) => number | undefined;
  versionType?: VersionType;
  /** Ingest pipeline. */
  pipeline?: string;
  /** `refresh` parameter of each bulk request (tests; leave unset in production). */
  refresh?: boolean | 'wait_for';
  /** Composable index template installed before the first write. */
  template?: IndexTemplateSpec;
  flushDocs?: number;
  flushBytes?: number;
  flushIntervalMs?: number;
  concurrency?: number;
  adaptiveConcurrency?: boolean;
  minConcurrency?: number;
  maxConcurrency?: number;
  latencyFactor?: number;
  maxBufferedDocs?: number;
  maxBufferedBytes?: number;
  retryInitialDelayMs?: number;
  retryMaxDelayMs?: number;
  /** Give a transiently failing document up this long after its first attempt; 0 (the default) = never. */
  retryDeadlineMs?: number;
  requestTimeoutMs?: number;
  /** Called once per document that completed (written or duplicate). */
  onAck?: (item: SinkItem<TDoc, TContext>, ack: Ack) => void;
  /** Called once per document given up; may return a promise, which `flush()` awaits. */
  onDeadLetter?: (item: SinkItem<TDoc, TContext>, reason: DeadLetterReason) => void | Promise<void>;
  /** Clock (ms) for batching ages and retry deadlines. */
  clock?: () => number;
  /** Random source in [0, 1) for backoff jitter. */
  random?: () => number;
  /**
   * prom-client Registry receiving the `tributary_es_sink_*` metrics (bulk latency, documents by outcome, retries,
   * dead letters, rejections, in-flight requests, buffered bytes). Without it no metric is kept.
   */
  registry?: Registry;
}

type NumericKey =
  | 'flushDocs'
  | 'flushBytes'
  | 'flushIntervalMs'
  | 'concurrency'
  | 'minConcurrency'
  | 'maxConcurrency'
  | 'latencyFactor'
  | 'maxBufferedDocs'
  | 'maxBufferedBytes'
  | 'retryInitialDelayMs'
  | 'retryMaxDelayMs'
  | 'retryDeadlineMs'
  | 'requestTimeoutMs';

/** Options after validation, with defaults applied. */
export type ResolvedSinkOptions<TDoc, TContext> = Omit<
  BulkSinkOptions<TDoc, TContext>,
  NumericKey | 'action' | 'versionType' | 'adaptiveConcurrency'
> &
  Record<NumericKey, number> & { action: BulkAction; versionType: VersionType; adaptiveConcurrency: boolean };

const POSITIVE_INTEGERS: readonly NumericKey[] = [
  'flushDocs',
  'flushBytes',
  'concurrency',
  'minConcurrency',
  'maxConcurrency',
  'maxBufferedDocs',
  'maxBufferedBytes',
  'retryMaxDelayMs',
  'requestTimeoutMs',
];
const NON_NEGATIVE_INTEGERS: readonly NumericKey[] = [
  'flushIntervalMs',
  'retryInitialDelayMs',
  'retryDeadlineMs',
];

/** Validates once and applies `SINK_DEFAULTS`; throws TRIB_SINK_INVALID_OPTION naming the option. */
export function resolveSinkOptions<TDoc, TContext>(
  options: BulkSinkOptions<TDoc, TContext>,
): ResolvedSinkOptions<TDoc, TContext> {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'must be an object');
  const resolved = { ...SINK_DEFAULTS, ...stripUndefined(options) } as ResolvedSinkOptions<TDoc, TContext>;
  if (resolved.client === undefined) {
    const nodes = Array.isArray(resolved.node) ? resolved.node : [resolved.node];
    if (resolved.node === undefined || nodes.length === 0)
      throw invalidOption('node', 'is required when client is not given');
    for (const node of nodes) {
      let url: URL;
      try {
        url = new URL(String(node));
      } catch {
        throw invalidOption(
          'node',
          `must be an http(s) URL like http://127.0.0.1:9200 (got ${JSON.stringify(redactUrl(String(node)))})`,
        );
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw invalidOption('node', `must use http: or https: (got ${url.protocol})`);
      }
    }
  }
  for (const key of POSITIVE_INTEGERS) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 1)
      throw invalidOption(key, `must be a positive integer (got ${String(resolved[key])})`);
  }
  for (const key of NON_NEGATIVE_INTEGERS) {
    if (!Number.isInteger(resolved[key]) || resolved[key] < 0)
      throw invalidOption(key, `must be a non-negative integer (got ${String(resolved[key])})`);
  }
  if (!(typeof resolved.latencyFactor === 'number' && resolved.latencyFactor > 1))
    throw invalidOption('latencyFactor', 'must be a number > 1');
  if (resolved.minConcurrency > resolved.maxConcurrency)
    throw invalidOption('minConcurrency', 'must be <= maxConcurrency');
  if (
    resolved.adaptiveConcurrency &&
    (resolved.concurrency < resolved.minConcurrency || resolved.concurrency > resolved.maxConcurrency)
  ) {
    throw invalidOption(
      'concurrency',
      'must lie between minConcurrency and maxConcurrency when adaptiveConcurrency is on',
    );
  }
  if (resolved.retryInitialDelayMs > resolved.retryMaxDelayMs)
    throw invalidOption('retryInitialDelayMs', 'must be <= retryMaxDelayMs');
  if (resolved.maxBufferedDocs < resolved.flushDocs)
    throw invalidOption('maxBufferedDocs', 'must be >= flushDocs');
  if (resolved.maxBufferedBytes < resolved.flushBytes)
    throw invalidOption('maxBufferedBytes', 'must be >= flushBytes');
  if (!BULK_ACTION_VALUES.includes(resolved.action))
    throw invalidOption('action', `must be one of ${BULK_ACTION_VALUES.join(', ')}`);
  if (!VERSION_TYPE_VALUES.includes(resolved.versionType))
    throw invalidOption('versionType', `must be one of ${VERSION_TYPE_VALUES.join(', ')}`);
  if (typeof resolved.index !== 'function' && (typeof resolved.index !== 'string' || resolved.index === '')) {
    throw invalidOption('index', 'must be an index name, a date pattern or a function of the document');
  }
  for (const key of ['idKey', 'versionKey', 'onAck', 'onDeadLetter', 'clock', 'random'] as const) {
    if (resolved[key] !== undefined && typeof resolved[key] !== 'function')
      throw invalidOption(key, 'must be a function');
  }
  if (resolved.versionKey !== undefined && (resolved.action === 'update' || resolved.action === 'create')) {
    throw invalidOption(
      'versionKey',
      `cannot be used with action ${resolved.action} (Elasticsearch supports external versions only on index and delete)`,
    );
  }
  if (
    resolved.registry !== undefined &&
    (typeof resolved.registry !== 'object' ||
      resolved.registry === null ||
      typeof (resolved.registry as { registerMetric?: unknown }).registerMetric !== 'function')
  ) {
    throw invalidOption('registry', 'must be a prom-client Registry');
  }
  if (resolved.auth !== undefined) {
    const a = resolved.auth as Record<string, unknown>;
    const ok =
      (typeof a['username'] === 'string' && typeof a['password'] === 'string') ||
      typeof a['apiKey'] === 'string' ||
      typeof a['bearer'] === 'string';
    if (!ok) throw invalidOption('auth', 'must be { username, password }, { apiKey } or { bearer }');
  }
  if (resolved.template !== undefined) {
    validateTemplateSpec(resolved.template);
    if (resolved.template.dataStream === true && resolved.action !== 'create') {
      throw invalidOption(
        'action',
        "must be 'create' when template.dataStream is true (data streams accept op_type create only)",
      );
    }
  }
  return resolved;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Removes credentials from a URL (`http://user:pass@host` → `http://***:***@host`). */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^/@\s,]+)@/g, '//***:***@');
}

/** A printable copy of the options: credentials and URL userinfo replaced by `***`, functions by their kind. */
export function redactOptions(options: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (key === 'auth' && value !== undefined)
      out[key] = Object.fromEntries(Object.keys(value as object).map((k) => [k, '***']));
    else if (key === 'tls' && value !== undefined) out[key] = '***';
    else if (key === 'client' && value !== undefined) out[key] = '[Client]';
    else if (key === 'registry' && value !== undefined) out[key] = '[Registry]';
    else if (key === 'node')
      out[key] = Array.isArray(value) ? value.map((v) => redactUrl(String(v))) : redactUrl(String(value));
    else if (typeof value === 'function') out[key] = '[Function]';
    else out[key] = value;
  }
  return out;
}
