import { Kafka, logLevel, type Consumer, type EachBatchPayload, type Producer } from 'kafkajs';
import { BulkSink } from '../bulk-sink.js';
import { SINK_ERROR_CODES, SinkError } from '../errors.js';
import { readPath } from '../index-management/index-name.js';
import { SinkMetrics } from '../metrics/sink-metrics.js';
import { redactUrl } from '../options.js';
import type { DeadLetterReason, SinkItem, SinkStats } from '../types.js';
import {
  resolveConnectorOptions,
  type KafkaEsConnectorOptions,
  type RecordContext,
  type ResolvedConnectorOptions,
} from './connector-options.js';
import { deadLetterMessage } from './dead-letter-record.js';
import { registerKafkaCodecs } from './kafka-compression.js';
import { kafkaLogCreator } from '../observability/kafka-log.js';
import { OffsetTracker, type OffsetToken } from './offset-tracker.js';
import { RecordMappingError, jsonMapper, windowResultMapper, type RecordMapper } from './record-mapper.js';

/** Live counters of a connector. */
export interface ConnectorStats {
  /** Records received from Kafka. */
  consumed: number;
  /** Records that could not be mapped to a document (dead-lettered). */
  unmappable: number;
  /** Records written to the dead-letter topic (or logged when there is none). */
  deadLettered: number;
  /** Offset commits made. */
  commits: number;
  /** Delivered records not acknowledged yet. */
  pending: number;
  /** Whether fetching is paused by the high-water mark. */
  paused: boolean;
  /** The sink's counters. */
  sink: SinkStats;
}

/**
 * Liveness and readiness of a connector (the shape `startMetricsServer`'s `health` returns).
 * `live`: not crashed and not stopped. `ready`: consuming, the consumer has joined its group and the last
 * Elasticsearch check answered.
 */
export interface ConnectorHealth {
  live: boolean;
  ready: boolean;
  details: {
    running: boolean;
    consumerJoined: boolean;
    elasticsearchReachable: boolean;
    assignedPartitions: number[];
    paused: boolean;
    pending: number;
  };
}

export interface KafkaEsConnector {
  /** Checks Elasticsearch and Kafka (fatal configuration errors reject with a message naming the fix), then consumes. */
  start(): Promise<void>;
  /** Graceful: stop fetching, flush the sink, commit, disconnect. */
  stop(): Promise<void>;
  readonly stats: ConnectorStats;
  /** Liveness and readiness now (cheap, never throws): for `/health`. */
  health(): ConnectorHealth;
  /** Offsets committed so far by this connector, per partition. */
  committedOffsets(): Map<number, number>;
  readonly sink: BulkSink<Record<string, unknown>, RecordContext>;
  /** Resolves (never rejects) with the error if the consumer crashed for good (kafkajs gave up restarting). */
  readonly failure: Promise<SinkError>;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class Connector implements KafkaEsConnector {
  readonly sink: BulkSink<Record<string, unknown>, RecordContext>;
  readonly #o: ResolvedConnectorOptions;
  readonly #kafka: Kafka;
  readonly #consumer: Consumer;
  readonly #producer: Producer | undefined;
  readonly #mapper: RecordMapper;
  readonly #tracker = new OffsetTracker();
  readonly #committed = new Map<number, number>();
  readonly #counters = { consumed: 0, unmappable: 0, deadLettered: 0, commits: 0 };
  #paused = false;
  #stopping = false;
  #running = false;
  #crashed = false;
  #joined = false;
  #esReachable = false;
  #assigned: number[] = [];
  #healthTimer: NodeJS.Timeout | undefined;
  #pinging = false;
  readonly #metrics: SinkMetrics | undefined;
  readonly #detachMetrics: () => void;
  #fail: (error: SinkError) => void = () => undefined;
  readonly failure: Promise<SinkError> = new Promise((resolve) => (this.#fail = resolve));
  #commitTimer: NodeJS.Timeout | undefined;
  #commitChain: Promise<void> = Promise.resolve();
  #drainWaiters: Array<() => void> = [];

  constructor(options: KafkaEsConnectorOptions) {
    this.#o = resolveConnectorOptions(options);
    const o = this.#o;
    this.#mapper =
      o.mapper ??
      (o.format === 'window-result'
        ? windowResultMapper()
        : jsonMapper({
            versionFrom: o.versionFrom,
            ...(o.idField === undefined ? {} : { idField: o.idField }),
            ...(o.versionField === undefined ? {} : { versionField: o.versionField }),
          }));
    const registry = o.registry ?? o.sink.registry;
    this.#metrics = registry === undefined ? undefined : SinkMetrics.for(registry);
    this.#detachMetrics =
      this.#metrics?.attachPausedPartitions(() => (this.#paused ? this.#assigned.length : 0)) ??
      (() => undefined);
    this.sink = new BulkSink<Record<string, unknown>, RecordContext>({
      ...o.sink,
      ...(registry === undefined ? {} : { registry }),
      onAck: (item) => this.#ack(item.context?.token),
      onDeadLetter: (item, reason) => this.#onSinkDeadLetter(item, reason),
    });
    registerKafkaCodecs();
    this.#kafka = new Kafka({
      clientId: o.clientId,
      brokers: o.brokers,
      ...(o.ssl === undefined ? {} : { ssl: o.ssl }),
      ...(o.sasl === undefined ? {} : { sasl: o.sasl }),
      // kafkajs' own lines (connections, group joins, crashes) go through the connector's logger, at info and up.
      ...(o.logger === undefined
        ? { logLevel: logLevel.NOTHING }
        : { logLevel: logLevel.INFO, logCreator: kafkaLogCreator(o.logger) }),
      retry: { retries: 5 },
    });
    this.#consumer = this.#kafka.consumer({
      groupId: o.groupId,
      readUncommitted: false,
      maxWaitTimeInMs: 500,
    });
    this.#producer =
      o.deadLetterTopic === undefined
        ? undefined
        : this.#kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  get stats(): ConnectorStats {
    return { ...this.#counters, pending: this.#tracker.pending, paused: this.#paused, sink: this.sink.stats };
  }

  health(): ConnectorHealth {
    const live = !this.#crashed && !this.#stopping;
    return {
      live,
      ready: live && this.#running && this.#joined && this.#esReachable,
      details: {
        running: this.#running,
        consumerJoined: this.#joined,
        elasticsearchReachable: this.#esReachable,
        assignedPartitions: [...this.#assigned],
        paused: this.#paused,
        pending: this.#tracker.pending,
      },
    };
  }

  committedOffsets(): Map<number, number> {
    return new Map(this.#committed);
  }

  async start(): Promise<void> {
    // Every check first, then the first side effect (the index template).
    await this.#checkElasticsearch();
    this.#esReachable = true;
    await this.#checkKafka();
    await this.sink.ready();
    await this.#consumer.connect();
    await this.#producer?.connect();
    this.#consumer.on(this.#consumer.events.GROUP_JOIN, (event) => {
      const assigned = event.payload.memberAssignment[this.#o.topic] ?? [];
      this.#joined = true;
      this.#assigned = [...assigned].sort((a, b) => a - b);
      this.#tracker.retain(assigned);
      for (const p of [...this.#committed.keys()]) if (!assigned.includes(p)) this.#committed.delete(p);
      this.#log('info', 'partitions assigned', { topic: this.#o.topic, partitions: assigned });
    });
    this.#consumer.on(this.#consumer.events.REBALANCING, () => {
      this.#joined = false;
      this.#log('info', 'rebalancing');
    });
    this.#consumer.on(this.#consumer.events.STOP, () => (this.#joined = false));
    this.#consumer.on(this.#consumer.events.CRASH, (event) => {
      this.#joined = false;
      if (event.payload.restart) {
        this.#log('warn', `the Kafka consumer crashed and restarts: ${describeError(event.payload.error)}`);
        return;
      }
      this.#crashed = true;
      const error = new SinkError(
        SINK_ERROR_CODES.KAFKA_FAILED,
        `the Kafka consumer crashed: ${describeError(event.payload.error)}`,
        {
          cause: event.payload.error,
        },
      );
      this.#log('error', error.message);
      this.#fail(error);
    });
    await this.#consumer.subscribe({ topic: this.#o.topic, fromBeginning: this.#o.fromBeginning });
    await this.#consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.#eachBatch(payload),
    });
    this.#running = true;
    this.#commitTimer = setInterval(
      () => void this.commit().catch((e: unknown) => this.#log('warn', `commit failed: ${describeError(e)}`)),
      this.#o.commitIntervalMs,
    );
    this.#healthTimer = setInterval(() => void this.#pingElasticsearch(), this.#o.healthCheckIntervalMs);
    this.#healthTimer.unref();
  }

  /** Readiness: asks Elasticsearch for its cluster health (one check at a time); logs when reachability changes. */
  async #pingElasticsearch(): Promise<void> {
    if (this.#pinging) return;
    this.#pinging = true;
    let reachable: boolean;
    try {
      await this.sink.client.transport.request(
        { method: 'GET', path: '/_cluster/health' },
        { requestTimeout: 5000, maxRetries: 0 },
      );
      reachable = true;
    } catch {
      reachable = false;
    } finally {
      this.#pinging = false;
    }
    if (this.#stopping || reachable === this.#esReachable) return;
    this.#esReachable = reachable;
    this.#log(
      reachable ? 'info' : 'warn',
      reachable ? 'Elasticsearch reachable again' : 'Elasticsearch unreachable',
    );
  }

  async stop(): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    clearInterval(this.#commitTimer);
    clearInterval(this.#healthTimer);
    this.#detachMetrics();
    this.#wakeDrainWaiters();
    try {
      if (this.#running) {
        this.#consumer.pause([{ topic: this.#o.topic }]);
        await this.sink.flush();
        await this.commit();
      }
    } finally {
      this.#running = false;
      this.#joined = false;
      await this.#consumer.disconnect();
      await this.sink.close();
      await this.#producer?.disconnect();
    }
  }

  /** Commits, per partition, the offset after the highest contiguous acknowledged record. Serialized. */
  commit(): Promise<void> {
    this.#commitChain = this.#commitChain.then(async () => {
      const offsets = this.#tracker.committable();
      if (offsets.length === 0) return;
      await this.#consumer.commitOffsets(
        offsets.map(({ partition, offset }) => ({ topic: this.#o.topic, partition, offset: String(offset) })),
      );
      this.#counters.commits++;
      for (const { partition, offset } of offsets) {
        this.#tracker.markCommitted(partition, offset);
        this.#committed.set(partition, offset);
      }
      this.#log('debug', 'offsets committed', { offsets });
    });
    return this.#commitChain;
  }

  async #eachBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    for (const message of batch.messages) {
      if (this.#stopping || !isRunning() || isStale()) return;
      if (this.#tracker.pending >= this.#o.highWaterMark) await this.#waitForLowWater(heartbeat);
      if (this.#stopping) return;
      this.#counters.consumed++;
      const offset = Number(message.offset);
      const token = this.#tracker.track(batch.partition, offset);
      const context: RecordContext = {
        token,
        key: message.key,
        value: message.value,
        headers: message.headers,
      };
      let mapped;
      try {
        mapped = this.#mapper({
          key: message.key,
          value: message.value,
          offset: message.offset,
          partition: batch.partition,
        });
      } catch (error) {
        this.#counters.unmappable++;
        const errorType = error instanceof RecordMappingError ? error.errorType : 'mapping_error';
        this.#metrics?.recordDeadLetter(errorType, false);
        await this.#deadLetter(context, { errorType, reason: describeError(error), status: undefined });
        resolveOffset(message.offset);
        continue;
      }
      if (this.#o.timestampFrom !== undefined) {
        mapped.document['@timestamp'] = readPath(mapped.document, this.#o.timestampFrom);
      }
      await this.sink.write(mapped.document, {
        ...(mapped.id === undefined ? {} : { id: mapped.id }),
        ...(mapped.version === undefined ? {} : { version: mapped.version }),
        context,
      });
      resolveOffset(message.offset);
    }
    await heartbeat();
  }

  async #waitForLowWater(heartbeat: () => Promise<void>): Promise<void> {
    this.#paused = true;
    this.#consumer.pause([{ topic: this.#o.topic }]);
    this.#log('info', 'paused: too many unacknowledged records', { pending: this.#tracker.pending });
    try {
      while (!this.#stopping && this.#tracker.pending > this.#o.lowWaterMark) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 1000);
          this.#drainWaiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
        await heartbeat();
      }
    } finally {
      this.#paused = false;
      if (!this.#stopping && this.#running) this.#consumer.resume([{ topic: this.#o.topic }]);
    }
  }

  #ack(token: OffsetToken | undefined): void {
    if (token === undefined) return;
    this.#tracker.ack(token);
    if (this.#drainWaiters.length > 0 && this.#tracker.pending <= this.#o.lowWaterMark)
      this.#wakeDrainWaiters();
  }

  #wakeDrainWaiters(): void {
    const waiters = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const wake of waiters) wake();
  }

  #onSinkDeadLetter(
    item: SinkItem<Record<string, unknown>, RecordContext>,
    reason: DeadLetterReason,
  ): Promise<void> | void {
    if (item.context === undefined) return;
    return this.#deadLetter(item.context, reason);
  }

  /**
   * Sends a dead letter to the topic and only then acknowledges its offset. If that send fails, the offset stays
   * unacknowledged: commits stop below it and the record is seen again after a restart.
   */
  async #deadLetter(context: RecordContext, reason: DeadLetterReason): Promise<void> {
    if (this.#producer === undefined || this.#o.deadLetterTopic === undefined) {
      this.#log('warn', 'dead letter (no dead-letter topic configured)', {
        partition: context.token.partition,
        offset: context.token.offset,
        errorType: reason.errorType,
        reason: reason.reason,
      });
      this.#counters.deadLettered++;
      this.#ack(context.token);
      return;
    }
    try {
      await this.#producer.send({
        topic: this.#o.deadLetterTopic,
        messages: [
          deadLetterMessage({
            key: context.key,
            value: context.value,
            headers: context.headers,
            errorType: reason.errorType,
            reason: reason.reason,
            status: reason.status,
            sourceTopic: this.#o.topic,
            sourcePartition: context.token.partition,
            sourceOffset: context.token.offset,
          }),
        ],
      });
    } catch (error) {
      this.#log(
        'error',
        `dead-letter send failed; offset ${context.token.offset} stays uncommitted: ${describeError(error)}`,
      );
      return;
    }
    this.#counters.deadLettered++;
    this.#ack(context.token);
  }

  async #checkElasticsearch(): Promise<void> {
    const url = Array.isArray(this.#o.sink.node)
      ? this.#o.sink.node.join(',')
      : String(this.#o.sink.node ?? '(client)');
    try {
      await this.sink.client.transport.request(
        { method: 'GET', path: '/_cluster/health' },
        { maxRetries: 1, requestTimeout: 10_000 },
      );
    } catch (cause) {
      const status = (cause as { meta?: { statusCode?: number } }).meta?.statusCode;
      if (status === 401 || status === 403) {
        throw new SinkError(
          SINK_ERROR_CODES.AUTH_FAILED,
          `Elasticsearch at ${redactUrl(url)} refused the credentials (${status}): check the username/password or API key`,
          { cause, status },
        );
      }
      throw new SinkError(
        SINK_ERROR_CODES.CONNECTION_FAILED,
        `cannot reach Elasticsearch at ${redactUrl(url)}: ${describeError(cause)} — check the Elasticsearch URL and that the cluster is up`,
        {
          cause,
          retriable: true,
          ...(status === undefined ? {} : { status }),
        },
      );
    }
  }

  async #checkKafka(): Promise<void> {
    const admin = this.#kafka.admin();
    try {
      await admin.connect();
    } catch (cause) {
      throw new SinkError(
        SINK_ERROR_CODES.KAFKA_FAILED,
        `cannot reach Kafka at ${this.#o.brokers.join(',')}: ${describeError(cause)} — check the brokers`,
        { cause, retriable: true },
      );
    }
    try {
      const topics = await admin.listTopics();
      for (const [name, what] of [
        [this.#o.topic, 'source topic'],
        [this.#o.deadLetterTopic, 'dead-letter topic'],
      ] as const) {
        if (name !== undefined && !topics.includes(name)) {
          throw new SinkError(
            SINK_ERROR_CODES.TOPIC_NOT_FOUND,
            `${what} ${name} does not exist: create it (kafka-topics.sh --create --topic ${name}) or fix the topic name`,
          );
        }
      }
    } finally {
      await admin.disconnect();
    }
  }

  #log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void {
    this.#o.logger?.(level, message, fields);
  }
}

/**
 * A Kafka → Elasticsearch connector: consumes `topic` (read_committed), maps records to documents, writes them
 * through a BulkSink and commits per partition only the highest contiguous acknowledged offset (+1).
 */
export function createKafkaEsConnector(options: KafkaEsConnectorOptions): KafkaEsConnector {
  return new Connector(options);
}
