/**
 * The bench results document (JSON, `schemaVersion` 1). One file per scenario invocation: environment and
 * workload, every run with its rows, correctness line, time series and encoded histograms, and the aggregate
 * across runs with its spread. Durations are milliseconds, sizes MB (2^20 bytes), CPU % of one core.
 */

export const RESULTS_SCHEMA_VERSION = 1;

/** Rows of the table, in the order the seed published them. */
export const COMPONENTS = {
  KAFKA: 'kafka',
  /** Record timestamp → consumed by the processor (measured inside the processor child). */
  KAFKA_TO_PROCESSOR: 'kafka-to-processor',
  PROCESSOR: 'processor',
  /** The same job in Kafka Streams (scenario `peers-latency`): window close → result committed in Kafka. */
  KAFKA_STREAMS: 'kafka-streams',
  /** The same job in Flink with checkpoints as the seed configures them (every 5 s, scenario `peers-latency`). */
  FLINK_SEED_CHECKPOINTS: 'flink-seed-checkpoints',
  /** The same job in Flink at the checkpoint interval that gives it its best latency (scenario `peers-latency`). */
  FLINK: 'flink',
  /** Window close → the es-sink's bulk request acknowledged the final document. */
  ES_ACKNOWLEDGED: 'es-acknowledged',
  ELASTICSEARCH: 'elasticsearch',
  END_TO_END: 'end-to-end',
  /** Raw event (intended send time) → its enriched document acknowledged by a bulk request. */
  RAW_INDEXED: 'raw-indexed',
  /** Raw event (intended send time) → its enriched document returned by a search. */
  RAW_SEARCHABLE: 'raw-searchable',
  /** The bench process itself, which hosts the producer. */
  BENCH: 'bench',
} as const;
export type Component = (typeof COMPONENTS)[keyof typeof COMPONENTS];
export const COMPONENT_VALUES: readonly Component[] = Object.values(COMPONENTS);

export const SCENARIOS = {
  /** Fixed rate below saturation, the seed's table. */
  TABLE: 'table',
  /** Search for the highest rate the pipeline sustains. */
  MAX_THROUGHPUT: 'max-throughput',
  /** HTTP ingest gateway under autocannon. */
  GATEWAY: 'gateway',
  /** Search queries against the results index under load. */
  QUERIES: 'queries',
  /** Apache Kafka's perf tools and the Elasticsearch client's bulk helper side by side with ours, as ratios. */
  PEERS: 'peers',
  /** The clickstream job in Kafka Streams and Flink against ours: window close → result committed, as ratios. */
  PEERS_LATENCY: 'peers-latency',
} as const;
export type Scenario = (typeof SCENARIOS)[keyof typeof SCENARIOS];
export const SCENARIO_VALUES: readonly Scenario[] = Object.values(SCENARIOS);

export interface Environment {
  readonly node: string;
  /** `java -version` of the JVMs (Kafka, Elasticsearch), null when unknown. */
  readonly java: string | null;
  readonly os: { readonly platform: string; readonly release: string; readonly arch: string };
  readonly cpu: { readonly model: string; readonly cores: number };
  readonly memoryMB: number;
  /** Versions of everything measured: kafka, elasticsearch, kafkajs, @elastic/elasticsearch, @tributary/*… */
  readonly versions: Readonly<Record<string, string>>;
}

export interface Workload {
  readonly scenario: Scenario;
  /** Intended events per second; null when the scenario searches for the rate. */
  readonly ratePerSec: number | null;
  readonly durationMs: number;
  readonly warmupMs: number;
  readonly partitions: number;
  readonly runs: number;
  /** Anything else that defines the workload (event size, keys, window, out-of-orderness bound…). */
  readonly params: Readonly<Record<string, string | number | boolean>>;
}

/** Latency percentiles in ms. */
export interface LatencyFigures {
  readonly p50: number;
  readonly p99: number;
  readonly p99_9: number;
  readonly max: number;
}
export const LATENCY_KEYS = ['p50', 'p99', 'p99_9', 'max'] as const;

/** One row of the table for one run. Null means "not measured", never zero. */
export interface ComponentRow {
  readonly component: Component;
  readonly version: string | null;
  readonly startupMs: number | null;
  /** Events (or documents, for Elasticsearch) per second over the measured window. */
  readonly throughputPerSec: number | null;
  readonly latencyMs: LatencyFigures | null;
  /** What the latency of this row is measured from and to (see the README). */
  readonly latencyDefinition: string | null;
  /** Mean CPU, % of one core. */
  readonly cpuPercent: number | null;
  /** Peak RSS, MB. */
  readonly rssMB: number | null;
  /** Event-loop delay p99 over the measured window (Node processes only), ms. */
  readonly eventLoopDelayP99Ms: number | null;
  /** Event-loop delay p50 over the measured window, ms (absent in files of older versions). */
  readonly eventLoopDelayP50Ms?: number | null;
  /** Largest event-loop delay over the measured window, ms (absent in files of older versions). */
  readonly eventLoopDelayMaxMs?: number | null;
  /** Throughput per core busy: `throughputPerSec / (cpuPercent / 100)` (rows of contenders, `peers-latency`). */
  readonly throughputPerCore?: number | null;
  /** This row's own correctness line, when each row is a contender checked against the ground truth. */
  readonly correctness?: Correctness;
}

/** The correctness line: every produced event accounted for. */
export interface Correctness {
  readonly produced: number;
  /** Events reflected in the window counts in Elasticsearch. */
  readonly counted: number;
  /** Events behind the watermark by more than the allowed lateness (sent to the late topic). */
  readonly late: number;
  readonly deadLettered: number;
  /** produced − counted − late − dead-lettered, when positive. */
  readonly lost: number;
  /** Events counted more than once. */
  readonly duplicated: number;
}
export const CORRECTNESS_KEYS = [
  'produced',
  'counted',
  'late',
  'deadLettered',
  'lost',
  'duplicated',
] as const;

/** A time series sampled during a run: `[msSinceMeasuredStart, value]` pairs. */
export interface Series {
  readonly name: string;
  readonly unit: string;
  readonly points: readonly (readonly [number, number])[];
}

/**
 * A named scalar figure of a scenario that has no per-component row (gateway requests/s, query p99, a peer
 * ratio…). `value` null means "not measured".
 */
/**
 * Units of ratio figures: `×` is higher-is-better (throughput ours / peer), `× lower is better` is a ratio of
 * latencies or CPU (ours / peer below 1: ours is faster or cheaper).
 */
export const RATIO_UNITS = { HIGHER_IS_BETTER: '×', LOWER_IS_BETTER: '× lower is better' } as const;

export interface Figure {
  /** Stable name, `group.figure` (`gateway.latency.p99`, `peers.producer.ratio`). */
  readonly name: string;
  readonly unit: string;
  readonly value: number | null;
  /** What the figure is measured from and to, or what it compares. */
  readonly note?: string;
}

/** A figure across runs. */
export interface AggregatedFigure {
  readonly name: string;
  readonly unit: string;
  readonly spread: Spread | null;
  readonly note?: string;
}

export interface RunResult {
  /** 1-based. */
  readonly run: number;
  readonly startedAt: string;
  readonly components: readonly ComponentRow[];
  readonly correctness: Correctness;
  /** Throughput, consumer lag, schedule lag… over time. */
  readonly series: readonly Series[];
  /** Latency histograms (µs) as compressed base64, by name (`end-to-end`, `produce-ack`, `schedule-lag`…). */
  readonly histograms: Readonly<Record<string, string>>;
  /** Scalar figures of the scenarios beyond the table (gateway, queries, max-throughput, peers). */
  readonly figures?: readonly Figure[];
}

/** Spread of one figure across runs. */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export interface AggregatedRow {
  readonly component: Component;
  readonly version: string | null;
  readonly startupMs: Spread | null;
  readonly throughputPerSec: Spread | null;
  readonly latencyMs: { readonly [K in (typeof LATENCY_KEYS)[number]]: Spread } | null;
  readonly latencyDefinition: string | null;
  readonly cpuPercent: Spread | null;
  readonly rssMB: Spread | null;
  readonly eventLoopDelayP99Ms: Spread | null;
  readonly eventLoopDelayP50Ms?: Spread | null;
  readonly eventLoopDelayMaxMs?: Spread | null;
  readonly throughputPerCore?: Spread | null;
  /** Summed over the runs. */
  readonly correctness?: Correctness;
}

export interface Aggregate {
  readonly runs: number;
  readonly components: readonly AggregatedRow[];
  /** Sums over all runs. */
  readonly correctness: Correctness;
  /** Every figure name seen in a run, in first-seen order, as median (min–max) across runs. */
  readonly figures?: readonly AggregatedFigure[];
}

export interface BenchResults {
  readonly schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  readonly tool: { readonly name: string; readonly version: string };
  readonly createdAt: string;
  readonly environment: Environment;
  readonly workload: Workload;
  /** How the figures were obtained, one sentence per item (printed in the HTML report). */
  readonly method: readonly string[];
  readonly runs: readonly RunResult[];
  readonly aggregate: Aggregate;
}

/** Display names of the rows. */
export const COMPONENT_LABELS: Readonly<Record<Component, string>> = {
  kafka: 'Kafka',
  'kafka-to-processor': 'Kafka → processor',
  processor: 'Processor',
  'kafka-streams': 'Kafka Streams 4.4 (EOS)',
  'flink-seed-checkpoints': 'Flink 2.x (EOS, seed checkpoints)',
  flink: 'Flink 2.x (EOS, tuned checkpoints)',
  'es-acknowledged': 'Window → ES ack',
  elasticsearch: 'Elasticsearch',
  'end-to-end': 'End-to-end',
  'raw-indexed': 'Raw → indexed',
  'raw-searchable': 'Raw → searchable',
  bench: 'Bench + producer',
};
