import { COMPONENTS, type Component } from './results.js';

/** What each row's latency is measured from and to; the README defines each one in full. */
export const LATENCY_DEFINITIONS: Readonly<Record<Component, string>> = {
  [COMPONENTS.KAFKA]: 'produce acknowledged (acks=all) − intended send time of the event (open loop)',
  [COMPONENTS.KAFKA_TO_PROCESSOR]:
    'record handed to the processor (eachBatch, inside its process) − record timestamp (create time, set at send)',
  [COMPONENTS.PROCESSOR]:
    'window result committed to Kafka − window close time (window end + out-of-orderness bound), processor clock',
  [COMPONENTS.KAFKA_STREAMS]:
    'window result committed to Kafka − window close time (window end + out-of-orderness bound): the same job in Kafka Streams, exactly_once_v2',
  [COMPONENTS.FLINK_SEED_CHECKPOINTS]:
    'window result committed to Kafka − window close time (window end + out-of-orderness bound): the same job in Flink, KafkaSink EXACTLY_ONCE, checkpoints as the seed configures them (every 5 s, min pause 1 s)',
  [COMPONENTS.FLINK]:
    'window result committed to Kafka − window close time (window end + out-of-orderness bound): the same job in Flink, KafkaSink EXACTLY_ONCE, checkpoints at the tuned interval (no min pause)',
  [COMPONENTS.ES_ACKNOWLEDGED]:
    'final window document acknowledged by the es-sink bulk request (2xx) − window close time (window end + bound)',
  [COMPONENTS.ELASTICSEARCH]: 'result document searchable in Elasticsearch − result committed to Kafka',
  [COMPONENTS.END_TO_END]:
    'window result searchable in Elasticsearch − window close time (window end + out-of-orderness bound)',
  [COMPONENTS.RAW_INDEXED]:
    'enriched event document acknowledged by a bulk request (2xx) − event timestamp (its intended send time)',
  [COMPONENTS.RAW_SEARCHABLE]:
    'enriched event document counted by a search (50 ms buckets of event time) − event timestamp (intended send time)',
  [COMPONENTS.BENCH]:
    'no latency: CPU, RSS and event-loop delay of the bench process, which runs the producer',
};

/** The method sentences every results file carries unless the caller replaces them. */
export const DEFAULT_METHOD: readonly string[] = [
  'Load is open loop: event i is intended at start + i / rate; latencies are measured from that intended time, and the gap between intended and actual send is recorded separately as schedule lag.',
  'No coordinated-omission correction is applied on top (no recordValueWithExpectedInterval); autocannon runs with its correction off because it corrects with a wrong interval.',
  'A warm-up precedes every measured window and is excluded from every histogram and throughput figure.',
  'Latencies are recorded in HDR histograms (1 µs … 1 h, 3 significant digits); figures are per-run percentiles, aggregated as median (min–max) across runs.',
  'CPU is CPU time over wall time in % of one core (process.cpuUsage for Node, utime+stime from /proc/<pid>/stat for the JVMs); RSS is the peak of per-second samples.',
  'Correctness compares events produced with events reflected in the Elasticsearch window counts, late and dead-lettered events; lost and duplicated must both be 0.',
];
