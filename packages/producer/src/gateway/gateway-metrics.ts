import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface GatewayMetricsOptions {
  /**
   * Also register prom-client's default process metrics (event-loop delay `nodejs_eventloop_lag_*`, heap
   * `nodejs_heap_*`, RSS `process_resident_memory_bytes`, CPU, GC…) unless the registry has them already.
   * @defaultValue true
   */
  processMetrics?: boolean;
  /** What `tributary_gateway_in_flight_bytes` reports when scraped (the gateway's in-flight budget); without it, 0. */
  inFlight?: { readonly bytes: number };
}

/**
 * The gateway's Prometheus metrics, in a Registry of its own (never the global one), with the default process
 * metrics next to them.
 */
export class GatewayMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'status'>;
  readonly events: Counter<'result'>;
  readonly ackLatency: Histogram;
  readonly backpressureRejections: Counter;
  readonly inFlightBytes: Gauge;

  constructor(registry = new Registry(), options: GatewayMetricsOptions = {}) {
    this.registry = registry;
    if (
      (options.processMetrics ?? true) &&
      registry.getSingleMetric('process_resident_memory_bytes') === undefined
    )
      collectDefaultMetrics({ register: registry });
    this.requests = new Counter({
      name: 'tributary_gateway_requests_total',
      help: 'HTTP requests answered, by status code',
      labelNames: ['status'],
      registers: [registry],
    });
    this.events = new Counter({
      name: 'tributary_gateway_events_total',
      help: 'Events received, by result (accepted, rejected)',
      labelNames: ['result'],
      registers: [registry],
    });
    this.ackLatency = new Histogram({
      name: 'tributary_gateway_kafka_ack_latency_seconds',
      help: 'Time from handing a request to Kafka to its acknowledgement',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    this.backpressureRejections = new Counter({
      name: 'tributary_gateway_backpressure_rejections_total',
      help: 'Requests refused with 429 (in-flight limits reached) or 503 (Kafka unavailable or slow, shutting down)',
      registers: [registry],
    });
    const inFlight = options.inFlight;
    this.inFlightBytes = new Gauge({
      name: 'tributary_gateway_in_flight_bytes',
      help: 'Bytes held against maxInFlightBytes: request bodies being read and records awaiting Kafka acknowledgement',
      registers: [registry],
      collect() {
        this.set(inFlight?.bytes ?? 0);
      },
    });
  }
}
