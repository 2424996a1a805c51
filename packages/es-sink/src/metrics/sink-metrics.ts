import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BulkTally } from './bulk-tally.js';
import {
  BULK_DURATION_BUCKETS,
  DOCUMENT_OUTCOMES,
  SINK_METRIC_NAMES,
  type DocumentOutcome,
} from './metric-names.js';

/** Live load of one sink, read when Prometheus scrapes (nothing is updated on the write path). */
export interface SinkLoad {
  inFlight: number;
  bufferedBytes: number;
  buffered: number;
  /** Documents outstanding that failed at least once (waiting for a retry, queued or in flight again). */
  retrying: number;
}

/** Live state of one connector, read when Prometheus scrapes. */
export interface ConnectorLoad {
  /** Partitions whose fetching is paused by the high-water mark (0 when not paused). */
  pausedPartitions: number;
  /** Milliseconds since the oldest record still unacknowledged was delivered (undefined when there is none). */
  oldestUnacknowledgedMs: number | undefined;
}

/** The numbers of one finished bulk request (the sink's `tributary:es-sink:bulk-end` message has them all). */
export interface BulkCounts {
  durationMs: number;
  succeeded: number;
  duplicates: number;
  retried: number;
  deadLettered: number;
}

const instances = new WeakMap<Registry, SinkMetrics>();

/**
 * The sink's and connector's Prometheus metrics over a prom-client Registry (never the global one). One instance
 * per registry (`SinkMetrics.for`): several sinks sharing a registry add up, and their gauges sum the live load of
 * every attached sink. Counters move once per bulk response; gauges are computed at scrape time.
 */
export class SinkMetrics {
  readonly registry: Registry;
  readonly bulkDuration: Histogram;
  readonly documents: Counter<'outcome'>;
  readonly retries: Counter<'status'>;
  readonly deadLetters: Counter<'reason'>;
  readonly rejections: Counter;
  readonly #sinks = new Set<() => SinkLoad>();
  readonly #connectors = new Set<() => ConnectorLoad>();

  /** The metrics of `registry`, registering them on first use. */
  static for(registry: Registry): SinkMetrics {
    let metrics = instances.get(registry);
    if (metrics === undefined) {
      metrics = new SinkMetrics(registry);
      instances.set(registry, metrics);
    }
    return metrics;
  }

  private constructor(registry: Registry) {
    this.registry = registry;
    const registers = [registry];
    this.bulkDuration = new Histogram({
      name: SINK_METRIC_NAMES.bulkDuration,
      help: 'Duration of bulk requests to Elasticsearch (answered or failed)',
      buckets: [...BULK_DURATION_BUCKETS],
      registers,
    });
    this.documents = new Counter({
      name: SINK_METRIC_NAMES.documents,
      help: 'Documents by bulk item outcome: indexed, version_conflict (stale/repeated write), dead_lettered, retried',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of Object.values(DOCUMENT_OUTCOMES)) this.documents.inc({ outcome }, 0);
    this.retries = new Counter({
      name: SINK_METRIC_NAMES.retries,
      help: 'Documents scheduled for retry, by HTTP status of the item or request ("none": no answer)',
      labelNames: ['status'],
      registers,
    });
    this.deadLetters = new Counter({
      name: SINK_METRIC_NAMES.deadLetters,
      help: 'Documents and records given up, by reason (Elasticsearch error type or the sink reason)',
      labelNames: ['reason'],
      registers,
    });
    this.rejections = new Counter({
      name: SINK_METRIC_NAMES.rejections,
      help: 'Documents Elasticsearch rejected for load (HTTP 429 or es_rejected_execution_exception)',
      registers,
    });
    const sinks = this.#sinks;
    const connectors = this.#connectors;
    const sum = (pick: (load: SinkLoad) => number): number => {
      let total = 0;
      for (const load of sinks) total += pick(load());
      return total;
    };
    new Gauge({
      name: SINK_METRIC_NAMES.inFlightRequests,
      help: 'Bulk requests in flight now',
      registers,
      collect() {
        this.set(sum((l) => l.inFlight));
      },
    });
    new Gauge({
      name: SINK_METRIC_NAMES.bufferedBytes,
      help: 'Bytes of documents accepted and not yet completed (buffered, in flight or waiting to retry)',
      registers,
      collect() {
        this.set(sum((l) => l.bufferedBytes));
      },
    });
    new Gauge({
      name: SINK_METRIC_NAMES.bufferedDocuments,
      help: 'Documents accepted and not yet completed (buffered, in flight or waiting to retry)',
      registers,
      collect() {
        this.set(sum((l) => l.buffered));
      },
    });
    new Gauge({
      name: SINK_METRIC_NAMES.retryingDocuments,
      help: 'Documents outstanding that failed at least once (connection error, timeout, 429, 5xx) and are retried',
      registers,
      collect() {
        this.set(sum((l) => l.retrying));
      },
    });
    new Gauge({
      name: SINK_METRIC_NAMES.pausedPartitions,
      help: 'Kafka partitions whose fetching the connector paused (too many unacknowledged records)',
      registers,
      collect() {
        let total = 0;
        for (const load of connectors) total += load().pausedPartitions;
        this.set(total);
      },
    });
    new Gauge({
      name: SINK_METRIC_NAMES.oldestUnacknowledgedAge,
      help: 'Age of the oldest record a connector received and has not acknowledged (indexed or dead-lettered); 0 when none',
      registers,
      collect() {
        let oldest = 0;
        for (const load of connectors) oldest = Math.max(oldest, load().oldestUnacknowledgedMs ?? 0);
        this.set(oldest / 1000);
      },
    });
  }

  /** Adds a sink's live load to the gauges; returns the function that removes it (on close). */
  attachSink(load: () => SinkLoad): () => void {
    this.#sinks.add(load);
    return () => this.#sinks.delete(load);
  }

  /**
   * Adds a connector's state: its paused partitions to `paused_partitions` (summed), its oldest unacknowledged
   * record to `oldest_unacknowledged_age_seconds` (the oldest over connectors). Returns the function that removes it.
   */
  attachConnector(load: () => ConnectorLoad): () => void {
    this.#connectors.add(load);
    return () => this.#connectors.delete(load);
  }

  /** Records one finished bulk request: its duration, its documents by outcome, retries, dead letters, rejections. */
  recordBulk(counts: BulkCounts, tally: BulkTally): void {
    this.bulkDuration.observe(counts.durationMs / 1000);
    this.#documents(DOCUMENT_OUTCOMES.indexed, counts.succeeded);
    this.#documents(DOCUMENT_OUTCOMES.versionConflict, counts.duplicates);
    this.#documents(DOCUMENT_OUTCOMES.retried, counts.retried);
    this.#documents(DOCUMENT_OUTCOMES.deadLettered, counts.deadLettered);
    for (const [status, n] of tally.retriesByStatus) this.retries.inc({ status }, n);
    for (const [reason, n] of tally.deadLettersByReason) this.deadLetters.inc({ reason }, n);
    if (tally.rejections > 0) this.rejections.inc(tally.rejections);
  }

  /**
   * Records documents dead-lettered outside a bulk request (invalid before sending). `asDocuments` false: records
   * that never became documents (a connector's unmappable record) count only in `dead_letters_total`.
   */
  recordDeadLetter(reason: string, asDocuments = true): void {
    this.deadLetters.inc({ reason });
    if (asDocuments) this.documents.inc({ outcome: DOCUMENT_OUTCOMES.deadLettered });
  }

  #documents(outcome: DocumentOutcome, n: number): void {
    if (n > 0) this.documents.inc({ outcome }, n);
  }
}
