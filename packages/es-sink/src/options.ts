import type { Client, ClientOptions } from '@elastic/elasticsearch';
import { defineOptions, option, z, type OptionInput, type OptionValues } from '@tributary/options';
import type { Registry } from 'prom-client';
import { redactUrl, redactUrls } from './elasticsearch-connection.js';
import { invalidOption } from './errors.js';
import { INDEX_TEMPLATE } from './index-management/index-template.js';
import { BULK_ACTIONS, VERSION_TYPES, type Ack, type DeadLetterReason, type SinkItem } from './types.js';

/** A function option; the exact signature of the document-typed ones comes from {@link BulkSinkOptions}. */
export const fn = <F extends (...args: never[]) => unknown>() =>
  z.custom<F>((v) => typeof v === 'function', 'must be a function');

/** Options that only code can give (functions, clients, credentials objects): no flag, no variable. */
export const CODE_ONLY = { flag: false, env: false } as const;

/** A prom-client Registry (the sink's and the connector's `registry`). */
export const PROM_REGISTRY = z.custom<Registry>(
  (v) => typeof (v as { registerMetric?: unknown } | null)?.registerMetric === 'function',
  'must be a prom-client Registry',
);

const SINK_AUTH = z.union(
  [
    z.object({ username: z.string(), password: z.string() }),
    z.object({ apiKey: z.string() }),
    z.object({ bearer: z.string() }),
  ],
  { error: 'must be { username, password }, { apiKey } or { bearer }' },
);

/** Authentication passed through to the ES client; never logged (see `redactOptions`). */
export type SinkAuth = z.output<typeof SINK_AUTH>;

/**
 * The sink's tuning: batching, concurrency, retries, bulk parameters (modelled on the anchors: Kafka Connect ES,
 * Logstash, the elasticsearch-js bulk helper). Every one is also a flag of the `tributary-es-sink` CLI.
 */
export const SINK_SETTING_SPECS = {
  /** Document date field used by a date pattern in `index` (UTC). */
  indexDateField: option(
    z.string().min(1).optional(),
    'date field of the documents for a date pattern in --index',
    {
      placeholder: '<path>',
    },
  ),
  /** Default bulk action. */
  action: option(z.enum(BULK_ACTIONS).default('index'), 'default bulk action'),
  versionType: option(z.enum(VERSION_TYPES).default('external'), 'version type of external versions'),
  /** Ingest pipeline. */
  pipeline: option(z.string().min(1).optional(), 'ingest pipeline', { placeholder: '<name>' }),
  /** `refresh` parameter of each bulk request (tests; leave unset in production). */
  refresh: option(
    z.union([z.boolean(), z.literal('wait_for')]).optional(),
    'refresh after each bulk request',
    {
      hidden: true,
    },
  ),
  /** gzip request bodies. */
  compression: option(z.boolean().default(false), 'gzip request bodies'),
  flushDocs: option(z.int().min(1).default(1000), 'close a bulk request at this many documents'),
  /** Close a bulk request at this many uncompressed bytes (elasticsearch-js helper and Kafka Connect: 5 MiB). */
  flushBytes: option(
    z
      .int()
      .min(1)
      .default(5 * 1024 * 1024),
    'close a bulk request at this many bytes',
    {
      defaultText: '5 MiB',
    },
  ),
  /** Maximum age of the OLDEST buffered document before its batch is sent (not an idle timer). */
  flushIntervalMs: option(z.int().min(0).default(1000), 'send a batch once its oldest document is this old'),
  /** Bulk requests in flight (starting value when adaptive). */
  concurrency: option(z.int().min(1).default(2), 'bulk requests in flight'),
  /** AIMD on the in-flight limit: halve on 429s and latency spikes, +1 per round trip otherwise. */
  adaptiveConcurrency: option(z.boolean().default(false), 'AIMD on 429s and latency'),
  minConcurrency: option(z.int().min(1).default(1), 'lowest in-flight limit when adaptive'),
  maxConcurrency: option(z.int().min(1).default(8), 'highest in-flight limit when adaptive'),
  /** A request slower than this multiple of the smoothed latency counts as congestion (adaptive concurrency). */
  latencyFactor: option(
    z.number().gt(1).default(2),
    'latency over this multiple of the smoothed one is congestion',
  ),
  /** `write()` waits while this many documents are accepted but not completed (bounded memory). */
  maxBufferedDocs: option(z.int().min(1).default(10_000), 'write() waits at this many outstanding documents'),
  /** `write()` waits while this many bytes are accepted but not completed. */
  maxBufferedBytes: option(
    z
      .int()
      .min(1)
      .default(64 * 1024 * 1024),
    'write() waits at this many outstanding bytes',
    {
      defaultText: '64 MiB',
    },
  ),
  /** First backoff window; each retry doubles it (full jitter). */
  retryInitialDelayMs: option(z.int().min(0).default(100), 'first retry backoff; each retry doubles it'),
  retryMaxDelayMs: option(z.int().min(1).default(30_000), 'longest retry backoff'),
  /**
   * Give up a document still failing transiently (connection error, timeout, 429, 5xx) this long after its first
   * attempt: dead-letter it with "retry deadline exceeded". `0` = no deadline: retry until Elasticsearch takes it
   * (as Logstash does); while it is down, `maxBufferedDocs`/`maxBufferedBytes` hold memory and a Kafka source pauses.
   */
  retryDeadlineMs: option(
    z.int().min(0).default(0),
    'dead-letter a document failing transiently this long after its first attempt (0 = never)',
  ),
  /** Per-request timeout of a bulk request. */
  requestTimeoutMs: option(z.int().min(1).default(30_000), 'timeout of a bulk request'),
};

/** Every option of a BulkSink. */
export const SINK_OPTION_SPECS = {
  /** Elasticsearch URL(s). Required unless `client` is given. */
  node: option(z.union([z.string(), z.array(z.string()).min(1)]).optional(), 'Elasticsearch URL(s)', {
    placeholder: '<url>',
    redact: redactUrls,
  }),
  /** An existing client (the sink then does not close it). */
  client: option(
    z
      .custom<Client>(
        (v) => typeof (v as { transport?: { request?: unknown } } | null)?.transport?.request === 'function',
        'must be an Elasticsearch Client',
      )
      .optional(),
    'an existing Elasticsearch client',
    CODE_ONLY,
  ),
  auth: option(SINK_AUTH.optional(), 'credentials passed to the client', { ...CODE_ONLY, secret: true }),
  /** TLS options passed to the client (`ca`, `rejectUnauthorized`, …). */
  tls: option(
    z
      .custom<ClientOptions['tls']>((v) => typeof v === 'object' && v !== null, 'must be TLS options')
      .optional(),
    'TLS options passed to the client',
    { ...CODE_ONLY, secret: true },
  ),
  /** SHA-256 fingerprint of the CA that signed the nodes' certificate, passed to the client (`caFingerprint`). */
  caFingerprint: option(z.string().min(1).optional(), "fingerprint of the nodes' CA", CODE_ONLY),
  index: option(
    z.custom<string | ((document: never) => string)>(
      (v) => typeof v === 'function' || (typeof v === 'string' && v !== ''),
      'must be an index name, a date pattern or a function of the document',
    ),
    'index or data stream name, or date pattern (metrics-{yyyy.MM.dd})',
    { placeholder: '<pattern>' },
  ),
  /** Composable index template installed before the first write. */
  template: option(INDEX_TEMPLATE.optional(), 'index template installed before the first write', CODE_ONLY),
  /**
   * With a date pattern as `index` (a string; ignored for a function): create the indices of the period now is in and
   * of the next one (by the pattern's finest date part, UTC, the sink's clock) after the template — from `ready()` or
   * the first write, then every 10 minutes (30 s for minute patterns), 5 s after a failed pass — so that no bulk
   * request waits while Elasticsearch creates an index. Failures are ignored: the first bulk into a missing index
   * still creates it. Needs the `create_index` privilege; not for data streams.
   */
  createIndicesAhead: option(
    z.boolean().default(false),
    'create the date-pattern indices of now and the next period ahead of their documents',
    CODE_ONLY,
  ),
  ...SINK_SETTING_SPECS,
  idKey: option(fn().optional(), 'document id from the document', CODE_ONLY),
  versionKey: option(fn().optional(), 'external version from the document', CODE_ONLY),
  onAck: option(fn().optional(), 'called once per document that completed', CODE_ONLY),
  onDeadLetter: option(fn().optional(), 'called once per document given up', CODE_ONLY),
  /** Clock (ms) for batching ages and retry deadlines. */
  clock: option(fn<() => number>().optional(), 'clock (ms)', CODE_ONLY),
  /** Random source in [0, 1) for backoff jitter. */
  random: option(fn<() => number>().optional(), 'random source for backoff jitter', CODE_ONLY),
  /**
   * prom-client Registry receiving the `tributary_es_sink_*` metrics (bulk latency, documents by outcome, retries,
   * dead letters, rejections, in-flight requests, buffered bytes). Without it no metric is kept.
   */
  registry: option(PROM_REGISTRY.optional(), 'prom-client Registry for the metrics', CODE_ONLY),
};

/** The sink's options, validated once at construction; errors are TRIB_SINK_INVALID_OPTION naming the option. */
export const SINK_OPTIONS = defineOptions(SINK_OPTION_SPECS, {
  component: 'BulkSink',
  invalid: invalidOption,
  check: (o, fail) => {
    if (o.client === undefined) {
      if (o.node === undefined) return fail('node', 'is required when client is not given');
      for (const node of [o.node].flat()) {
        if (!URL.canParse(node)) {
          fail(
            'node',
            `must be an http(s) URL like http://127.0.0.1:9200 (got ${JSON.stringify(redactUrl(node))})`,
          );
        }
        const { protocol } = new URL(node);
        if (protocol !== 'http:' && protocol !== 'https:')
          fail('node', `must use http: or https: (got ${protocol})`);
      }
    }
    if (o.minConcurrency > o.maxConcurrency) fail('minConcurrency', 'must be <= maxConcurrency');
    if (o.adaptiveConcurrency && (o.concurrency < o.minConcurrency || o.concurrency > o.maxConcurrency)) {
      fail(
        'concurrency',
        'must lie between minConcurrency and maxConcurrency when adaptiveConcurrency is on',
      );
    }
    if (o.retryInitialDelayMs > o.retryMaxDelayMs) fail('retryInitialDelayMs', 'must be <= retryMaxDelayMs');
    if (o.maxBufferedDocs < o.flushDocs) fail('maxBufferedDocs', `must be >= flushDocs (${o.flushDocs})`);
    if (o.maxBufferedBytes < o.flushBytes)
      fail('maxBufferedBytes', `must be >= flushBytes (${o.flushBytes})`);
    if (o.versionKey !== undefined && (o.action === 'update' || o.action === 'create')) {
      fail(
        'versionKey',
        `cannot be used with action ${o.action} (Elasticsearch supports external versions only on index and delete)`,
      );
    }
    if (o.template?.dataStream === true && o.action !== 'create') {
      fail(
        'action',
        "must be 'create' when template.dataStream is true (data streams accept op_type create only)",
      );
    }
  },
});

/** Defaults of every sink option that has one. */
export const SINK_DEFAULTS = SINK_OPTIONS.defaults;

/** The options whose types follow the sink's document and context types. */
interface DocumentTyped<TDoc, TContext> {
  /** Index (or data stream) name, date pattern (`metrics-{yyyy.MM.dd}`), or a function of the document. */
  index: string | ((document: TDoc) => string);
  /** Document id from the document (deterministic ids make retries idempotent). */
  idKey?: ((document: TDoc) => string | undefined) | undefined;
  /** External version from the document (a Kafka offset or a result version). */
  versionKey?: ((document: TDoc) => number | undefined) | undefined;
  /** Called once per document that completed (written or duplicate). */
  onAck?: ((item: SinkItem<TDoc, TContext>, ack: Ack) => void) | undefined;
  /** Called once per document given up; may return a promise, which `flush()` awaits. */
  onDeadLetter?:
    ((item: SinkItem<TDoc, TContext>, reason: DeadLetterReason) => void | Promise<void>) | undefined;
}

type SinkSpecs = typeof SINK_OPTION_SPECS;

export type BulkSinkOptions<TDoc = Record<string, unknown>, TContext = unknown> = Omit<
  OptionInput<SinkSpecs>,
  keyof DocumentTyped<TDoc, TContext>
> &
  DocumentTyped<TDoc, TContext>;

/** The options after validation, every default applied. */
export type SinkOptionValues<TDoc, TContext> = Omit<
  OptionValues<SinkSpecs>,
  keyof DocumentTyped<TDoc, TContext>
> &
  DocumentTyped<TDoc, TContext>;

/** A printable copy of sink options: secrets and URL userinfo replaced by `***`, functions and clients by their kind. */
export function redactOptions(options: object): Record<string, unknown> {
  const out = SINK_OPTIONS.redacted(options as Partial<OptionValues<SinkSpecs>>);
  for (const [key, value] of Object.entries(out)) {
    if (typeof value === 'function') out[key] = '[Function]';
    else if (
      typeof value === 'object' &&
      value !== null &&
      ![Object.prototype, Array.prototype, null].includes(Object.getPrototypeOf(value))
    )
      out[key] = `[${(value as object).constructor.name}]`;
  }
  return out;
}
