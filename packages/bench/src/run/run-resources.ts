import type { Client } from '@elastic/elasticsearch';
import { elasticsearchConnectionEnv, type ElasticsearchConnectionValues } from '@tributary/es-sink';
import type { Admin } from '@tributary/kafka';
import { startProcessorChild, type ProcessorChild, type ProcessorProbeOptions } from './processor-child.js';

/** The topics of one benchmark run, each named after the run id so that cleanup finds them. */
export interface RunTopics {
  readonly input: string;
  readonly results: string;
  readonly late: string;
  readonly dlq: string;
  readonly repartition: string;
  /** Enriched accepted events (with `enrichedEvents`). */
  readonly enriched: string;
  /** Reference-data tables of the enrichment (compacted; empty in the bench). */
  readonly pages: string;
  readonly users: string;
}

/** The topic names of the run `id`. */
export function runTopics(id: string): RunTopics {
  return {
    input: `${id}-events`,
    results: `${id}-results`,
    late: `${id}-late`,
    dlq: `${id}-dlq`,
    repartition: `${id}-repartition`,
    enriched: `${id}-enriched`,
    pages: `${id}-pages`,
    users: `${id}-users`,
  };
}

/**
 * Alias (and index prefix and template name) of the run's enriched-event documents. It does not start with the
 * run id, so the window template's pattern `<id>-*` does not cover its indices.
 */
export function rawEventsAlias(id: string): string {
  return `raw-${id}`;
}

export interface RunProcessorOptions {
  readonly brokers: readonly string[];
  /** More variables for the child (the Kafka TLS/SASL ones). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** The run id: the processor's application id and index prefix. */
  readonly id: string;
  readonly topics: RunTopics;
  readonly windowSizeMs: number;
  readonly outOfOrdernessMs: number;
  readonly idleTimeoutMs: number;
  readonly esConnection: ElasticsearchConnectionValues;
  /** Also write and index every accepted event (the raw-event path, `--enriched-events`). */
  readonly enrichedEvents?: boolean;
  /** Run the processor in low-latency mode (`--low-latency`). */
  readonly lowLatency?: boolean;
  /** Load the bench's probe into the processor (Kafka → processor, bulk acks, event-loop delay). */
  readonly probe?: ProcessorProbeOptions;
}

/**
 * The processor child's flags (`processorFlags` of `config`) and environment: the Kafka TLS/SASL (`o.env`) and the
 * Elasticsearch connection (`TRIBUTARY_ES_*`) travel in the environment, so no credential is on a command line any
 * user of the machine can read.
 */
export function runProcessorLaunch(
  o: Omit<RunProcessorOptions, 'probe'>,
  baseEnv: NodeJS.ProcessEnv = process.env,
): { config: Record<string, string | number | boolean>; env: NodeJS.ProcessEnv } {
  const enriched = o.enrichedEvents
    ? {
        enrichedEvents: true,
        enrichedTopic: o.topics.enriched,
        pagesTopic: o.topics.pages,
        usersTopic: o.topics.users,
        eventsIndexPrefix: rawEventsAlias(o.id),
      }
    : {};
  return {
    config: {
      brokers: o.brokers.join(','),
      applicationId: o.id,
      inputTopic: o.topics.input,
      resultsTopic: o.topics.results,
      lateTopic: o.topics.late,
      latePartialsTopic: `${o.topics.late}-partials`,
      deadLetterTopic: o.topics.dlq,
      // The connectors' dead-letter topics carry the run id too, so the run's cleanup deletes them.
      indexDeadLetterTopic: `${o.topics.results}-index-dlq`,
      ...(o.enrichedEvents ? { eventsIndexDeadLetterTopic: `${o.topics.enriched}-index-dlq` } : {}),
      repartitionTopic: o.topics.repartition,
      windowSizeMs: o.windowSizeMs,
      outOfOrdernessMs: o.outOfOrdernessMs,
      idleTimeoutMs: o.idleTimeoutMs,
      indexPrefix: o.id,
      ...(o.lowLatency === true ? { lowLatency: true } : {}),
      ...enriched,
    },
    env: elasticsearchConnectionEnv(o.esConnection, { ...baseEnv, ...o.env }),
  };
}

/** Starts the processor child of the run on its topics, writing to indices prefixed with the run id. */
export function startRunProcessor(o: RunProcessorOptions): Promise<ProcessorChild> {
  const { config, env } = runProcessorLaunch(o);
  return startProcessorChild(config, undefined, o.probe, env);
}

/**
 * Deletes the run's topics, indices and index template, best effort (leftovers carry the run id), and closes
 * `admin` and `es`. Never throws.
 */
export async function deleteRunResources(admin: Admin, es: Client, id: string): Promise<void> {
  try {
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(id));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine });
  } catch {
    // Best effort: leftovers carry the run id.
  }
  await admin.disconnect().catch(() => undefined);
  try {
    // Wildcard deletes are refused by default (action.destructive_requires_name): delete by concrete name.
    const names = Object.keys(
      await es.indices.get({
        index: [`${id}-*`, `${rawEventsAlias(id)}-*`],
        ignore_unavailable: true,
        allow_no_indices: true,
      }),
    );
    if (names.length > 0) await es.indices.delete({ index: names });
  } catch {
    // Best effort: leftovers carry the run id.
  }
  await es.indices.deleteIndexTemplate({ name: id }).catch(() => undefined);
  await es.indices.deleteIndexTemplate({ name: rawEventsAlias(id) }).catch(() => undefined);
  await es.close().catch(() => undefined);
}
