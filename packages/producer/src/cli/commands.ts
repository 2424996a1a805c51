import type { FlagSpec } from './flags.js';

const f = (flag: string, key: string, type: FlagSpec['type'], help: string): FlagSpec => ({
  flag,
  key,
  type,
  help,
});

/** Flags shared by `run` and `serve`. */
export const CONNECTION_FLAGS: readonly FlagSpec[] = [
  f('brokers', 'brokers', 'list', 'bootstrap brokers, comma-separated host:port (default 127.0.0.1:9092)'),
  f('topic', 'topic', 'string', 'topic (default clickstream-events)'),
  f('client-id', 'clientId', 'string', 'Kafka client id'),
  f(
    'compression',
    'compression',
    'string',
    'none | gzip | lz4 (default lz4); snappy/zstd need a codec package',
  ),
  f(
    'partitions',
    'partitions',
    'number',
    'partitions when creating the topic (default 4; must match if it exists)',
  ),
  f(
    'replication-factor',
    'replicationFactor',
    'number',
    'replication factor when creating the topic (default 1)',
  ),
  f('retention', 'retentionMs', 'duration', 'retention.ms when creating the topic, e.g. 1h'),
  f('no-create-topic', 'createTopic', 'negated', 'fail instead of creating a missing topic'),
  f('retries', 'retries', 'number', 'kafkajs retries per request'),
  f('request-timeout', 'requestTimeoutMs', 'duration', 'produce request timeout'),
  f('connection-timeout', 'connectionTimeoutMs', 'duration', 'broker connection timeout'),
];

export const RUN_FLAGS: readonly FlagSpec[] = [
  ...CONNECTION_FLAGS,
  f(
    'rate',
    'rate',
    'number',
    'records per second on a fixed schedule; 0 = as fast as possible (default 10000)',
  ),
  f('duration', 'durationMs', 'duration', 'run length, e.g. 30s (default 30s)'),
  f('count', 'count', 'number', 'records to send (overrides --duration)'),
  f('warmup', 'warmupMs', 'duration', 'leave records of the first N out of latency figures, e.g. 5s'),
  f('seed', 'seed', 'number', 'PRNG seed: same seed, same events (default 42)'),
  f('pages', 'pages', 'number', 'distinct pages (default 1000)'),
  f('zipf', 'zipfExponent', 'number', 'Zipf exponent of page popularity (default 1.1)'),
  f('users', 'users', 'number', 'distinct users (default 10000)'),
  f('sessions', 'concurrentSessions', 'number', 'concurrent sessions (default 200)'),
  f('session-events', 'meanSessionEvents', 'number', 'mean events per session (default 20)'),
  f('click-ratio', 'clickRatio', 'number', 'share of CLICK events (default 0.3)'),
  f('out-of-order-rate', 'outOfOrderRate', 'number', 'share of events moved back within the bound'),
  f('late-rate', 'lateRate', 'number', 'share of events late beyond allowed lateness'),
  f('duplicate-rate', 'duplicateRate', 'number', 'share of records re-sending a recent event'),
  f('malformed-rate', 'malformedRate', 'number', 'share of malformed records'),
  f('window-size', 'windowSizeMs', 'duration', 'tumbling window size for the manifest (default 60s)'),
  f('window-offset', 'windowOffsetMs', 'duration', 'window offset (default 0)'),
  f('out-of-orderness', 'outOfOrdernessMs', 'duration', 'watermark bound B (default 5s)'),
  f('allowed-lateness', 'allowedLatenessMs', 'duration', 'allowed lateness L (default 0)'),
  f('dedup-ttl', 'dedupTtlMs', 'duration', 'dedup TTL in event time (default 10m)'),
  f(
    'event-time-origin',
    'eventTimeOriginMs',
    'number',
    'event time of the first record, epoch ms (default now; --rate 0 --count n: so the last one is now)',
  ),
  f('batch-size', 'batchSize', 'number', 'records per partition batch (default 1000)'),
  f('linger', 'lingerMs', 'duration', 'max wait of a record in the batcher (default 5ms)'),
  f('max-in-flight', 'maxInFlightBatches', 'number', 'outstanding send() calls (default 1)'),
  f(
    'producers',
    'producers',
    'number',
    'parallel idempotent producers, each with its own partitions (default 1)',
  ),
  f(
    'sender-threads',
    'senderThreads',
    'number|auto',
    'threads running the kafkajs producers; 0 = all on the main thread (default auto: 1 with >= 2 cores)',
  ),
  f('headers', 'recordHeaders', 'boolean', 'add trib-intended-ms / trib-fault headers (default off)'),
  f('no-headers', 'recordHeaders', 'negated', 'send records without headers (the default)'),
  f('progress-interval', 'progressIntervalMs', 'duration', 'progress line interval (default 5s; 0 = none)'),
  f('manifest', 'manifestPath', 'string', 'write the ground-truth manifest JSON here'),
  f('hgrm', 'hgrmPath', 'string', 'write the ack-latency .hgrm here'),
];

export const SERVE_FLAGS: readonly FlagSpec[] = [
  ...CONNECTION_FLAGS,
  f('port', 'port', 'number', 'HTTP port (default 8080)'),
  f('host', 'host', 'string', 'HTTP interface (default 0.0.0.0)'),
  f('max-body', 'maxBodyBytes', 'bytes', 'largest request body, e.g. 1mb (413 above)'),
  f('max-events', 'maxEventsPerRequest', 'number', 'most events per request (default 10000)'),
  f(
    'max-in-flight-events',
    'maxInFlightEvents',
    'number',
    'unacknowledged events at most; 503 above (default 20000)',
  ),
  f(
    'ack-timeout',
    'ackTimeoutMs',
    'duration',
    'wait for Kafka acks at most this long; 503 after (default 10s)',
  ),
  f('retry-after', 'retryAfterSeconds', 'number', 'Retry-After seconds on 503 (default 1)'),
  f('shutdown-timeout', 'shutdownTimeoutMs', 'duration', 'drain time on SIGTERM (default 10s)'),
];
