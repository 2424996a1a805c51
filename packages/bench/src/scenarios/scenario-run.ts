import { randomBytes } from 'node:crypto';
import type { ElasticsearchConnectionValues } from '@tributary/es-sink';
import {
  KAFKA_SECURITY_OPTION_SPECS,
  kafkaSecurity,
  kafkaSecurityEnv,
  type KafkaSecurity,
  type KafkaSecurityOptions,
} from '@tributary/kafka';
import type { Correctness, Figure, RunResult } from '../report/results.js';

/** What every scenario run gets: the servers, its run number and a progress log. */
export interface ScenarioContext {
  readonly run: number;
  readonly brokers: readonly string[];
  /** The Elasticsearch of the run: nodes, credentials, CA (the shared connection options, resolved). */
  readonly esConnection: ElasticsearchConnectionValues;
  readonly log: (line: string) => void;
  /** Kafka TLS/SASL; none: plaintext. */
  readonly kafkaSecurity?: BenchKafkaSecurity | undefined;
}

/** The run's Kafka TLS/SASL (`--kafka-*`) in the forms its Kafka users take. */
export interface BenchKafkaSecurity {
  /** kafkajs' `ssl` and `sasl`, for the bench's own clients. */
  readonly client: KafkaSecurity;
  /** The options as given, for the producer and the gateway in this process. */
  readonly options: KafkaSecurityOptions;
  /** The same as `TRIBUTARY_KAFKA_*` variables, for the processor and generator processes. */
  readonly env: Readonly<Record<string, string>>;
}

/** Reads the `--kafka-*` options once, at start: a bad one throws TRIB_KAFKA_INVALID_OPTION naming it. */
export async function benchKafkaSecurity(values: KafkaSecurityOptions): Promise<BenchKafkaSecurity> {
  const keys = Object.keys(KAFKA_SECURITY_OPTION_SPECS) as (keyof KafkaSecurityOptions)[];
  const options = Object.fromEntries(keys.map((key) => [key, values[key]])) as KafkaSecurityOptions;
  return { client: await kafkaSecurity(options), options, env: kafkaSecurityEnv(options) };
}

/** A unique prefix for a run's topics, groups and indices (`bench-<scenario>-<time>-<random>`). */
export function scenarioRunId(scenario: string): string {
  return `bench-${scenario}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export const NO_EVENTS: Correctness = {
  produced: 0,
  counted: 0,
  late: 0,
  deadLettered: 0,
  lost: 0,
  duplicated: 0,
};

/** A run of a figures-only scenario: no component rows, no correctness line unless given. */
export function figuresRun(
  run: number,
  startedAt: string,
  figures: readonly Figure[],
  extra: Partial<Pick<RunResult, 'series' | 'correctness' | 'components'>> = {},
): RunResult {
  return {
    run,
    startedAt,
    components: extra.components ?? [],
    correctness: extra.correctness ?? NO_EVENTS,
    series: extra.series ?? [],
    histograms: {},
    figures,
  };
}
