import { invalidOption } from './errors.js';
import { stripUndefined } from './ground-truth/event-time-rules.js';
import { COMPRESSIONS } from './kafka/compression.js';
import type { Compression } from './kafka/compression.js';
import {
  booleanOption,
  integerIn,
  nonEmptyString,
  numberIn,
  oneOf,
  optionalString,
  rejectUnknownKeys,
  stringList,
} from './validation.js';
import { resolveWorkloadOptions, WORKLOAD_DEFAULTS } from './workload/workload-options.js';
import type { WorkloadOptions } from './workload/workload-options.js';

/** Connection settings shared by the load runner and the ingest gateway. */
export interface KafkaConnectionOptions {
  /** Bootstrap brokers, host:port. @defaultValue ['127.0.0.1:9092'] */
  brokers: string[];
  /** Kafka client id. @defaultValue 'tributary-produce' */
  clientId: string;
  /** Target topic. @defaultValue 'clickstream-events' */
  topic: string;
  /** Compression codec: none, gzip, lz4 (snappy/zstd need a codec package). @defaultValue 'lz4' */
  compression: Compression;
  /** Retries of a failed request by kafkajs before the send fails. @defaultValue 5 */
  retries: number;
  /** Time to wait for a produce response (ms). @defaultValue 30000 */
  requestTimeoutMs: number;
  /** Time to wait for a TCP connection to a broker (ms). @defaultValue 3000 */
  connectionTimeoutMs: number;
  /** Create the topic when missing. @defaultValue true */
  createTopic: boolean;
  /** Partitions when creating the topic; when set and the topic exists with another count, the run fails. */
  partitions: number | undefined;
  /** Replication factor when creating the topic. @defaultValue 1 */
  replicationFactor: number;
  /** retention.ms when creating the topic (broker default when unset). */
  retentionMs: number | undefined;
}

/** Options of `runLoad` / `tributary-produce run`. Workload options (seed, rates, …) are included flat. */
export interface LoadOptions
  extends
    KafkaConnectionOptions,
    Omit<WorkloadOptions, 'partitions' | 'eventTimeOriginMs' | 'eventsPerSecond'> {
  /** Target records per second, paced on a fixed schedule (open loop); 0 = as fast as possible. @defaultValue 10000 */
  rate: number;
  /** Run length (ms) when count is unset. @defaultValue 30000 */
  durationMs: number | undefined;
  /** Records to send; overrides durationMs. */
  count: number | undefined;
  /** Records intended in the first warmupMs are sent but left out of the latency figures. @defaultValue 0 */
  warmupMs: number;
  /**
   * Event time of the first record (epoch ms). @defaultValue wall clock at start; unthrottled (rate 0) with a count,
   * early enough that the last record's event time is the start (a backfill: never future-dated)
   */
  eventTimeOriginMs: number | undefined;
  /** Event-time spacing when rate is 0 (unthrottled). @defaultValue 10000 */
  eventsPerSecond: number;
  /** A partition's batch is sent once it holds this many records. @defaultValue 1000 */
  batchSize: number;
  /** … or once its oldest record has waited this long (ms). @defaultValue 5 */
  lingerMs: number;
  /**
   * Outstanding send() calls at most. kafkajs serialises an idempotent producer's requests per broker anyway; with 1
   * the log order always equals the generation order (with more, a retried send can land after a later one: the
   * manifest still follows the log, but an injected late/duplicate event may then not be one). @defaultValue 1
   */
  maxInFlightBatches: number;
  /**
   * kafkajs producers sending in parallel, each idempotent with its own partitions (`p mod producers`; at most one
   * per partition), so their requests overlap while each partition keeps one producer and its order. Pays when the
   * broker's round trip, not this thread's CPU, is the limit (see bench/README.md). @defaultValue 1
   */
  producers: number;
  /**
   * Threads (worker_threads) that run the kafkajs producers: this thread paces, generates, encodes and keeps the
   * ground truth, and hands each batch (one transferred buffer) to the thread owning its partitions' producer. 0 =
   * everything on this thread; 'auto' = 1 when the machine has at least 2 cores, else 0. At least one producer per
   * thread (`max(producers, senderThreads)` producers, each with its own partitions). @defaultValue 'auto'
   */
  senderThreads: number | 'auto';
  /**
   * Add the trib-intended-ms header (and trib-fault on injected faults) to each record. Off by default: kafkajs
   * encodes each header separately, which costs ~20% of the throughput (bench/README.md). @defaultValue false
   */
  recordHeaders: boolean;
  /** Progress line interval (ms); 0 = none. @defaultValue 5000 */
  progressIntervalMs: number;
  /** Write the ground-truth manifest JSON here. */
  manifestPath: string | undefined;
  /** Write the ack-latency `.hgrm` percentile distribution here. */
  hgrmPath: string | undefined;
}

export const KAFKA_CONNECTION_DEFAULTS: Readonly<KafkaConnectionOptions> = Object.freeze({
  brokers: ['127.0.0.1:9092'],
  clientId: 'tributary-produce',
  topic: 'clickstream-events',
  compression: 'lz4',
  retries: 5,
  requestTimeoutMs: 30_000,
  connectionTimeoutMs: 3_000,
  createTopic: true,
  partitions: undefined,
  replicationFactor: 1,
  retentionMs: undefined,
});

const { partitions: _p, eventTimeOriginMs: _o, eventsPerSecond: _e, ...workloadDefaults } = WORKLOAD_DEFAULTS;

export const LOAD_DEFAULTS: Readonly<LoadOptions> = Object.freeze({
  ...KAFKA_CONNECTION_DEFAULTS,
  ...workloadDefaults,
  rate: 10_000,
  durationMs: 30_000,
  count: undefined,
  warmupMs: 0,
  eventTimeOriginMs: undefined,
  eventsPerSecond: 10_000,
  batchSize: 1000,
  lingerMs: 5,
  maxInFlightBatches: 1,
  producers: 1,
  senderThreads: 'auto',
  recordHeaders: false,
  progressIntervalMs: 5_000,
  manifestPath: undefined,
  hgrmPath: undefined,
});

export const LOAD_OPTION_NAMES = Object.keys(LOAD_DEFAULTS) as (keyof LoadOptions)[];

export function resolveKafkaConnectionOptions(m: KafkaConnectionOptions): KafkaConnectionOptions {
  return {
    brokers: stringList('brokers', m.brokers).map((b) => {
      if (!/^[^\s:]+:\d{1,5}$/.test(b)) throw invalidOption('brokers', 'entries must look like host:port', b);
      return b;
    }),
    clientId: nonEmptyString('clientId', m.clientId),
    topic: topicName(m.topic),
    compression: oneOf('compression', m.compression, COMPRESSIONS),
    retries: integerIn('retries', m.retries, 0, 100),
    requestTimeoutMs: integerIn('requestTimeoutMs', m.requestTimeoutMs, 1),
    connectionTimeoutMs: integerIn('connectionTimeoutMs', m.connectionTimeoutMs, 1),
    createTopic: booleanOption('createTopic', m.createTopic),
    partitions: m.partitions === undefined ? undefined : integerIn('partitions', m.partitions, 1, 100_000),
    replicationFactor: integerIn('replicationFactor', m.replicationFactor, 1, 100),
    retentionMs: m.retentionMs === undefined ? undefined : integerIn('retentionMs', m.retentionMs, -1),
  };
}

function senderThreadsOption(value: unknown): number | 'auto' {
  if (value === 'auto') return value;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 64) {
    throw invalidOption('senderThreads', "must be 'auto' or an integer between 0 and 64", value);
  }
  return value;
}

function topicName(value: unknown): string {
  const topic = nonEmptyString('topic', value);
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(topic)) {
    throw invalidOption('topic', 'must be 1-249 characters of a-z A-Z 0-9 . _ -', value);
  }
  return topic;
}

/** Validates once, at the edge. Unknown keys are rejected so a typo never silently becomes a default. */
export function resolveLoadOptions(input: Partial<LoadOptions> = {}): LoadOptions {
  rejectUnknownKeys('options', input, LOAD_OPTION_NAMES);
  const m = { ...LOAD_DEFAULTS, ...stripUndefined(input) } as LoadOptions;
  if (input.count !== undefined && input.durationMs === undefined) m.durationMs = undefined;
  // Workload options are validated by the generator's own resolver (with placeholder partitions/origin).
  const workload = resolveWorkloadOptions({ ...workloadOptionsOf(m), partitions: 1 });
  const { partitions: _wp, eventTimeOriginMs: _wo, eventsPerSecond: _we, ...flatWorkload } = workload;
  const o: LoadOptions = {
    ...resolveKafkaConnectionOptions(m),
    ...flatWorkload,
    rate: numberIn('rate', m.rate, 0, 100_000_000),
    durationMs: m.durationMs === undefined ? undefined : integerIn('durationMs', m.durationMs, 1),
    count: m.count === undefined ? undefined : integerIn('count', m.count, 1),
    warmupMs: integerIn('warmupMs', m.warmupMs, 0),
    eventTimeOriginMs:
      m.eventTimeOriginMs === undefined
        ? undefined
        : integerIn('eventTimeOriginMs', m.eventTimeOriginMs, Date.UTC(2000, 0, 1) + 3_600_000),
    eventsPerSecond: numberIn('eventsPerSecond', m.eventsPerSecond, 0.001),
    batchSize: integerIn('batchSize', m.batchSize, 1, 1_000_000),
    lingerMs: numberIn('lingerMs', m.lingerMs, 0, 60_000),
    maxInFlightBatches: integerIn('maxInFlightBatches', m.maxInFlightBatches, 1, 1000),
    producers: integerIn('producers', m.producers, 1, 64),
    senderThreads: senderThreadsOption(m.senderThreads),
    recordHeaders: booleanOption('recordHeaders', m.recordHeaders),
    progressIntervalMs: integerIn('progressIntervalMs', m.progressIntervalMs, 0),
    manifestPath: optionalString('manifestPath', m.manifestPath),
    hgrmPath: optionalString('hgrmPath', m.hgrmPath),
  };
  if (o.count === undefined && o.durationMs === undefined) {
    throw invalidOption('durationMs', 'or count must be set', undefined);
  }
  return o;
}

/** The workload part of load options (everything but partitions, event-time origin and spacing, set per run). */
export function workloadOptionsOf(m: LoadOptions): Partial<WorkloadOptions> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(WORKLOAD_DEFAULTS)) {
    if (key === 'partitions' || key === 'eventTimeOriginMs' || key === 'eventsPerSecond') continue;
    out[key] = (m as unknown as Record<string, unknown>)[key];
  }
  return out as Partial<WorkloadOptions>;
}

/**
 * Event time of record 0 when the options leave it unset: the start, or, for an unthrottled run of a known count,
 * early enough that the last record's event time is the start. Unthrottled event time runs ahead of the wall clock
 * (eventsPerSecond, not the send rate, spaces it), and events too far ahead of their record's timestamp are
 * future-dated: dead-lettered by the processor, which the manifest would not expect.
 */
export function defaultEventTimeOrigin(
  o: Pick<LoadOptions, 'rate' | 'count'>,
  wallStartMs: number,
  eventsPerSecond: number,
): number {
  if (o.rate > 0 || o.count === undefined || o.count <= 1) return wallStartMs;
  return wallStartMs - Math.floor(((o.count - 1) * 1000) / eventsPerSecond);
}
