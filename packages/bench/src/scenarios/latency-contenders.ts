import { COMPONENTS, type Component } from '../report/results.js';
import { JVM_PEERS, type JvmPeer } from './peer-jars.js';

/**
 * Who runs the clickstream job in `peers-latency`: ours, Kafka Streams, and Flink twice — with checkpoints as the
 * seed configures them, and at the interval that gives Flink its best latency (its exactly-once sink commits only
 * when a checkpoint completes, so the interval is what its latency is made of).
 */
export const LATENCY_CONTENDERS = {
  TRIBUTARY: 'tributary',
  KAFKA_STREAMS: 'kafka-streams',
  FLINK_SEED_CHECKPOINTS: 'flink-seed-checkpoints',
  FLINK: 'flink',
} as const;
export type LatencyContender = (typeof LATENCY_CONTENDERS)[keyof typeof LATENCY_CONTENDERS];

/** The JVM peer (jar) a contender runs; null for ours. */
export function contenderPeer(contender: LatencyContender): JvmPeer | null {
  switch (contender) {
    case LATENCY_CONTENDERS.TRIBUTARY:
      return null;
    case LATENCY_CONTENDERS.KAFKA_STREAMS:
      return JVM_PEERS.KAFKA_STREAMS;
    case LATENCY_CONTENDERS.FLINK_SEED_CHECKPOINTS:
    case LATENCY_CONTENDERS.FLINK:
      return JVM_PEERS.FLINK;
  }
}

/** The table row of a contender: ours is the table's Processor row. */
export function contenderComponent(contender: LatencyContender): Component {
  switch (contender) {
    case LATENCY_CONTENDERS.TRIBUTARY:
      return COMPONENTS.PROCESSOR;
    case LATENCY_CONTENDERS.KAFKA_STREAMS:
      return COMPONENTS.KAFKA_STREAMS;
    case LATENCY_CONTENDERS.FLINK_SEED_CHECKPOINTS:
      return COMPONENTS.FLINK_SEED_CHECKPOINTS;
    case LATENCY_CONTENDERS.FLINK:
      return COMPONENTS.FLINK;
  }
}

/** Ours first, then each peer's contenders in table order: Kafka Streams, Flink (seed's checkpoints), Flink. */
export function latencyContenders(peers: readonly JvmPeer[]): LatencyContender[] {
  const contenders: LatencyContender[] = [LATENCY_CONTENDERS.TRIBUTARY];
  if (peers.includes(JVM_PEERS.KAFKA_STREAMS)) contenders.push(LATENCY_CONTENDERS.KAFKA_STREAMS);
  if (peers.includes(JVM_PEERS.FLINK))
    contenders.push(LATENCY_CONTENDERS.FLINK_SEED_CHECKPOINTS, LATENCY_CONTENDERS.FLINK);
  return contenders;
}

/** Flink's checkpointing (`CheckpointConfig`); its KafkaSink commits its transaction when a checkpoint completes. */
export interface FlinkCheckpointing {
  readonly intervalMs: number;
  /** `setMinPauseBetweenCheckpoints`: at least this long from the end of one checkpoint to the start of the next. */
  readonly minPauseMs: number;
  /** `setCheckpointTimeout`. */
  readonly timeoutMs: number;
  /** `setTolerableCheckpointFailureNumber`. */
  readonly tolerableFailures: number;
}

/** The seed's Flink job: `enableCheckpointing(5000)`, min pause 1000 ms, timeout 60 000 ms, 3 tolerable failures. */
export const SEED_FLINK_CHECKPOINTING: FlinkCheckpointing = {
  intervalMs: 5_000,
  minPauseMs: 1_000,
  timeoutMs: 60_000,
  tolerableFailures: 3,
};

/**
 * The checkpointing of a Flink contender: the seed's, or the seed's at `tunedIntervalMs` without the pause between
 * checkpoints (a pause would stretch the interval, and so every result's wait).
 */
export function flinkCheckpointing(
  contender: typeof LATENCY_CONTENDERS.FLINK_SEED_CHECKPOINTS | typeof LATENCY_CONTENDERS.FLINK,
  tunedIntervalMs: number,
): FlinkCheckpointing {
  return contender === LATENCY_CONTENDERS.FLINK_SEED_CHECKPOINTS
    ? SEED_FLINK_CHECKPOINTING
    : { ...SEED_FLINK_CHECKPOINTING, intervalMs: tunedIntervalMs, minPauseMs: 0 };
}

/** How the JVM contenders are configured, as the bench runs them. */
export interface JvmContenderSettings {
  readonly windowSizeMs: number;
  readonly outOfOrdernessMs: number;
  readonly idleTimeoutMs: number;
  /** Kafka Streams' `commit.interval.ms`. */
  readonly kafkaStreamsCommitIntervalMs: number;
  /** The checkpoint interval of the tuned Flink contender. */
  readonly flinkCheckpointIntervalMs: number;
  /** Kafka Streams `num.stream.threads` and Flink's parallelism. */
  readonly parallelism: number;
  /** `-Xms`/`-Xmx`. */
  readonly heap: string;
}

/** The JVM command line of a JVM contender: heap, the jar, and its flags (see each peer's main class). */
export function jvmContenderArgs(
  contender: Exclude<LatencyContender, typeof LATENCY_CONTENDERS.TRIBUTARY>,
  jar: string,
  o: {
    readonly brokers: readonly string[];
    readonly applicationId: string;
    readonly inputTopic: string;
    readonly outputTopic: string;
    readonly stateDir: string;
  } & JvmContenderSettings,
): string[] {
  const common = [
    '--brokers',
    o.brokers.join(','),
    '--input-topic',
    o.inputTopic,
    '--output-topic',
    o.outputTopic,
    '--application-id',
    o.applicationId,
    '--window-size-ms',
    String(o.windowSizeMs),
    '--out-of-orderness-ms',
    String(o.outOfOrdernessMs),
  ];
  let own: string[];
  if (contender === LATENCY_CONTENDERS.KAFKA_STREAMS) {
    own = [
      '--commit-interval-ms',
      String(o.kafkaStreamsCommitIntervalMs),
      '--threads',
      String(o.parallelism),
      '--state-dir',
      o.stateDir,
    ];
  } else {
    const c = flinkCheckpointing(contender, o.flinkCheckpointIntervalMs);
    own = [
      '--idle-timeout-ms',
      String(o.idleTimeoutMs),
      '--checkpoint-interval-ms',
      String(c.intervalMs),
      '--min-pause-between-checkpoints-ms',
      String(c.minPauseMs),
      '--checkpoint-timeout-ms',
      String(c.timeoutMs),
      '--tolerable-checkpoint-failures',
      String(c.tolerableFailures),
      '--parallelism',
      String(o.parallelism),
    ];
  }
  return [`-Xms${o.heap}`, `-Xmx${o.heap}`, '-jar', jar, ...common, ...own];
}

/** What a contender's figures repeat so that each can be read on its own. */
export function contenderSettingsNote(
  contender: LatencyContender,
  s: Pick<JvmContenderSettings, 'kafkaStreamsCommitIntervalMs' | 'flinkCheckpointIntervalMs'> & {
    readonly processorCommitIntervalMs: number;
  },
): string {
  switch (contender) {
    case LATENCY_CONTENDERS.TRIBUTARY:
      return `exactly-once, commit interval ${s.processorCommitIntervalMs} ms`;
    case LATENCY_CONTENDERS.KAFKA_STREAMS:
      return `exactly_once_v2, commit.interval.ms ${s.kafkaStreamsCommitIntervalMs} (ours: ${s.processorCommitIntervalMs} ms)`;
    case LATENCY_CONTENDERS.FLINK_SEED_CHECKPOINTS:
    case LATENCY_CONTENDERS.FLINK: {
      const c = flinkCheckpointing(contender, s.flinkCheckpointIntervalMs);
      const seed = contender === LATENCY_CONTENDERS.FLINK_SEED_CHECKPOINTS ? " (the seed's)" : '';
      return (
        `KafkaSink EXACTLY_ONCE, checkpoint every ${c.intervalMs} ms, min pause ${c.minPauseMs} ms${seed} ` +
        `(ours commits every ${s.processorCommitIntervalMs} ms)`
      );
    }
  }
}
