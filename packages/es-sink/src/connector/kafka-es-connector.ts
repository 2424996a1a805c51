import { createKafkaClient, runConsumerKeptAlive } from '@tributary/kafka';
import type { Consumer, EachBatchPayload, Kafka, Producer } from '@tributary/kafka';
import { BulkSink } from '../bulk-sink.js';
import { SINK_ERROR_CODES, SinkError } from '../errors.js';
import { readPath } from '../index-management/index-name.js';
import { SinkMetrics } from '../metrics/sink-metrics.js';
import type { DeadLetterReason, SinkItem, SinkStats } from '../types.js';
import {
  resolveConnectorOptions,
  type ConnectorOptionValues,
  type KafkaEsConnectorOptions,
  type RecordContext,
} from './connector-options.js';
import { EventLoopTurns } from './event-loop-turns.js';
import { FailedRecords, failedRecordsRetry } from './failed-records.js';
import { OffsetTracker, type OffsetToken } from './offset-tracker.js';
import { RecordMappingError, jsonMapper, windowResultMapper, type RecordMapper } from './record-mapper.js';
import { checkElasticsearch, checkKafkaTopics } from './startup-checks.js';

/** Records mapped and buffered per turn of the event loop (a few milliseconds of work). */
const RECORDS_PER_TURN = 256;

/** Live counters of a connector. */
export interface ConnectorStats {
  /** Records received from Kafka. */
  consumed: number;
  /** Records that could not be mapped to a document (dead-lettered). */
  unmappable: number;
  /** Records written to the dead-letter topic. */
  deadLettered: number;
  /** Records waiting for their dead letter to be written (retried with backoff while Kafka refuses it). */
  deadLettersWaiting: number;
  /** Offset commits made. */
  commits: number;
  /** Delivered records not acknowledged yet. */
  pending: number;
  /** Milliseconds since the oldest of them was delivered (undefined when none is pending). */
  oldestPendingMs: number | undefined;
  /** Whether fetching is paused by the high-water mark. */
  paused: boolean;
  /** The sink's counters. */
  sink: SinkStats;
}

/**
 * Liveness and readiness of a connector (the shape `startMetricsServer`'s `health` returns).
 * `live`: not crashed, not failed (`failure`) and not stopped. `ready`: consuming, the consumer has joined its group
 * and the last Elasticsearch check answered.
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
    /** The message of the error that failed the connector (see `failure`), if it did. */
    failure: string | undefined;
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
  /** Where records that cannot be indexed go (`<topic>-dlq` unless configured); false: none, they fail the connector. */
  readonly deadLetterTopic: string | false;
  /**
   * Resolves (never rejects) with the error that failed the connector: the consumer crashed for good (kafkajs gave
   * up restarting, TRIB_SINK_KAFKA_FAILED), a record could not be indexed and there is no dead-letter topic
   * (TRIB_SINK_RECORD_FAILED), or the dead-letter topic refused a record for good (TRIB_SINK_DEAD_LETTER_FAILED).
   * The record at fault is never acknowledged: commits stay below it. The connector stops fetching; call `stop()`.
   */
  readonly failure: Promise<SinkError>;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

class Connector implements KafkaEsConnector {
  readonly sink: BulkSink<Record<string, unknown>, RecordContext>;
  readonly #o: ConnectorOptionValues;
  readonly #kafka: Kafka;
  readonly #consumer: Consumer;
  readonly #producer: Producer | undefined;
  readonly #failed: FailedRecords;
  readonly #mapper: RecordMapper;
  readonly #tracker = new OffsetTracker();
  /** A fetched batch is mapped and buffered in slices of this many records, the event loop handed back between. */
  readonly #turns = new EventLoopTurns(RECORDS_PER_TURN);
  readonly #committed = new Map<number, number>();
  readonly #counters = { consumed: 0, unmappable: 0, commits: 0 };
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
  #failure: SinkError | undefined;
  #commitTimer: NodeJS.Timeout | undefined;
  #cancelRestart: () => void = () => undefined;
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
      this.#metrics?.attachConnector(() => ({
        pausedPartitions: this.#paused ? this.#assigned.length : 0,
        oldestUnacknowledgedMs: this.#oldestPendingMs(),
      })) ?? (() => undefined);
    this.sink = new BulkSink<Record<string, unknown>, RecordContext>({
      ...o.sink,
      ...(registry === undefined ? {} : { registry }),
      onAck: (item) => this.#ack(item.context?.token),
      onDeadLetter: (item, reason) => this.#onSinkDeadLetter(item, reason),
    });
    this.#kafka = createKafkaClient({
      clientId: o.clientId,
      brokers: o.brokers,
      ssl: o.ssl,
      sasl: o.sasl,
      // kafkajs' own lines (connections, group joins, crashes) go through the connector's logger, at info and up.
      log: o.logger,
      retry: { retries: 5 },
    });
    this.#consumer = this.#kafka.consumer({
      groupId: o.groupId,
      readUncommitted: false,
      maxWaitTimeInMs: 500,
      sessionTimeout: o.sessionTimeoutMs,
      heartbeatInterval: Math.min(3_000, Math.floor(o.sessionTimeoutMs / 3)),
    });
    this.#producer =
      o.deadLetterTopic === false
        ? undefined
        : this.#kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    this.#failed = new FailedRecords({
      topic: o.topic,
      deadLetterTopic: o.deadLetterTopic,
      producer: this.#producer,
      // The sink's backoff, never a deadline: Kafka being down is waited out.
      retry: failedRecordsRetry(o),
      acknowledge: (token) => this.#ack(token),
      fail: (error) => this.#failWith(error),
      logger: o.logger,
    });
  }

  #oldestPendingMs(): number | undefined {
    const since = this.#tracker.oldestPendingSince();
    return since === undefined ? undefined : Date.now() - since;
  }

  get deadLetterTopic(): string | false {
    return this.#o.deadLetterTopic;
  }

  get stats(): ConnectorStats {
    return {
      ...this.#counters,
      deadLettered: this.#failed.written,
      deadLettersWaiting: this.#failed.waiting,
      pending: this.#tracker.pending,
      oldestPendingMs: this.#oldestPendingMs(),
      paused: this.#paused,
      sink: this.sink.stats,
    };
  }

  health(): ConnectorHealth {
    const live = !this.#crashed && !this.#stopping && this.#failure === undefined;
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
        failure: this.#failure?.message,
      },
    };
  }

  committedOffsets(): Map<number, number> {
    return new Map(this.#committed);
  }

  async start(): Promise<void> {
    // Every check first (Kafka's creates a missing dead-letter topic, as Kafka Connect does), then the index template.
    const o = this.#o;
    await checkElasticsearch(
      this.sink.client,
      Array.isArray(o.sink.node) ? o.sink.node.join(',') : String(o.sink.node ?? '(client)'),
    );
    this.#esReachable = true;
    await checkKafkaTopics(this.#kafka.admin(), {
      brokers: o.brokers,
      topic: o.topic,
      deadLetterTopic: o.deadLetterTopic,
      deadLetterReplicationFactor: o.deadLetterReplicationFactor,
      logger: o.logger,
    });
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
      if (event.payload.restart)
        this.#log('warn', `the Kafka consumer crashed and restarts: ${describeError(event.payload.error)}`);
    });
    await this.#consumer.subscribe({ topic: this.#o.topic, fromBeginning: this.#o.fromBeginning });
    this.#cancelRestart = await runConsumerKeptAlive(
      this.#consumer,
      {
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: (payload) => this.#eachBatch(payload),
      },
      {
        restartTimeoutMs: this.#o.restartTimeoutMs,
        active: () => !this.#stopping && this.#failure === undefined,
        onRestart: (error, attempt, delayMs) =>
          this.#log(
            'warn',
            `the Kafka consumer crashed (${describeError(error)}); restarting it in ${delayMs} ms (attempt ${attempt})`,
          ),
        onFail: (error, reason) => {
          this.#crashed = true;
          this.#failWith(
            new SinkError(
              SINK_ERROR_CODES.KAFKA_FAILED,
              reason === 'permanent'
                ? `the Kafka consumer crashed: ${describeError(error)}`
                : `the Kafka consumer kept crashing for restartTimeoutMs (${this.#o.restartTimeoutMs} ms): ${describeError(error)}`,
              { cause: error },
            ),
          );
        },
      },
    );
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
    this.#cancelRestart();
    clearInterval(this.#commitTimer);
    clearInterval(this.#healthTimer);
    this.#detachMetrics();
    this.#wakeDrainWaiters();
    try {
      if (this.#running) {
        this.#consumer.pause([{ topic: this.#o.topic }]);
        if (!(await this.#drain(this.#o.shutdownTimeoutMs))) {
          const outstanding = this.sink.stats.buffered + this.#failed.waiting;
          this.#failed.close();
          await this.sink.abort();
          this.#log(
            'warn',
            `stop: ${outstanding} documents still outstanding after shutdownTimeoutMs (${this.#o.shutdownTimeoutMs} ms) are left unacknowledged; they come again after a restart`,
          );
        }
        await this.commit();
      }
    } finally {
      this.#running = false;
      this.#joined = false;
      this.#failed.close();
      await this.#consumer.disconnect();
      await this.sink.close();
      await this.#producer?.disconnect();
    }
  }

  /** Waits until every accepted document and dead letter completed; false when `timeoutMs` passed first. */
  async #drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const done = Promise.all([this.sink.flush(), this.#failed.idle()]).then(
      () => true,
      () => false,
    );
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([done, timeout]);
    } finally {
      clearTimeout(timer);
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
      const turn = this.#turns.count();
      if (turn !== undefined) await turn;
      if (this.#stopping || this.#failure !== undefined || !isRunning() || isStale()) return;
      if (this.#tracker.pending >= this.#o.highWaterMark) await this.#waitForLowWater(heartbeat);
      if (this.#stopping || this.#failure !== undefined) return;
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
        // Not awaited: the record stays pending (and counts against the high-water mark) until it is written.
        void this.#failed.giveUp(context, { errorType, reason: describeError(error), status: undefined });
        resolveOffset(message.offset);
        continue;
      }
      if (this.#o.timestampFrom !== undefined) {
        mapped.document['@timestamp'] = readPath(mapped.document, this.#o.timestampFrom);
      }
      try {
        await this.sink.write(mapped.document, {
          ...(mapped.id === undefined ? {} : { id: mapped.id }),
          ...(mapped.version === undefined ? {} : { version: mapped.version }),
          context,
        });
      } catch (error) {
        // stop() gave up on outstanding documents (sink aborted): this record stays unacknowledged.
        if (this.#stopping) return;
        throw error;
      }
      resolveOffset(message.offset);
    }
    // The fetched batch is buffered: send it now. Under load a fetch holds many records, so bulk requests stay
    // large; at a window's close the burst of results goes out at once rather than after flushIntervalMs.
    if (this.#o.flushOnBatchEnd) this.sink.send();
    await heartbeat();
  }

  async #waitForLowWater(heartbeat: () => Promise<void>): Promise<void> {
    this.#paused = true;
    this.#consumer.pause([{ topic: this.#o.topic }]);
    this.#log('info', 'paused: too many unacknowledged records', { pending: this.#tracker.pending });
    try {
      while (!this.#stopping && this.#failure === undefined && this.#tracker.pending > this.#o.lowWaterMark) {
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
      if (!this.#stopping && this.#running && this.#failure === undefined)
        this.#consumer.resume([{ topic: this.#o.topic }]);
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
    return this.#failed.giveUp(item.context, reason);
  }

  /**
   * Fails the connector (first error wins): stops fetching, reports not-live, resolves `failure`. Documents already
   * accepted still complete, so commits advance up to (never past) the record at fault.
   */
  #failWith(error: SinkError): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    this.#log('error', error.message, {
      code: error.code,
      ...(error.record === undefined
        ? {}
        : { partition: error.record.partition, offset: error.record.offset }),
    });
    if (this.#running && !this.#stopping && !this.#crashed) {
      try {
        this.#consumer.pause([{ topic: this.#o.topic }]);
      } catch {
        // Not subscribed (yet): nothing to pause.
      }
    }
    this.#wakeDrainWaiters();
    this.#fail(error);
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
