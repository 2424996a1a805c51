import type { Client } from '@elastic/elasticsearch';
import type { Admin } from 'kafkajs';
import { startProcessorChild, type ProcessorChild } from './processor-child.js';

/** The topics of one benchmark run, each named after the run id so that cleanup finds them. */
export interface RunTopics {
  readonly input: string;
  readonly results: string;
  readonly late: string;
  readonly dlq: string;
  readonly repartition: string;
}

/** The topic names of the run `id`. */
export function runTopics(id: string): RunTopics {
  return {
    input: `${id}-events`,
    results: `${id}-results`,
    late: `${id}-late`,
    dlq: `${id}-dlq`,
    repartition: `${id}-repartition`,
  };
}

export interface RunProcessorOptions {
  readonly brokers: readonly string[];
  /** The run id: the processor's application id and index prefix. */
  readonly id: string;
  readonly topics: RunTopics;
  readonly windowSizeMs: number;
  readonly outOfOrdernessMs: number;
  readonly idleTimeoutMs: number;
  readonly elasticsearchUrl: string;
}

/** Starts the processor child of the run on its topics, writing to indices prefixed with the run id. */
export function startRunProcessor(o: RunProcessorOptions): Promise<ProcessorChild> {
  return startProcessorChild({
    brokers: o.brokers.join(','),
    applicationId: o.id,
    inputTopic: o.topics.input,
    resultsTopic: o.topics.results,
    lateTopic: o.topics.late,
    deadLetterTopic: o.topics.dlq,
    repartitionTopic: o.topics.repartition,
    windowSizeMs: o.windowSizeMs,
    outOfOrdernessMs: o.outOfOrdernessMs,
    idleTimeoutMs: o.idleTimeoutMs,
    elasticsearchUrl: o.elasticsearchUrl,
    indexPrefix: o.id,
  });
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
      await es.indices.get({ index: `${id}-*`, ignore_unavailable: true, allow_no_indices: true }),
    );
    if (names.length > 0) await es.indices.delete({ index: names });
  } catch {
    // Best effort: leftovers carry the run id.
  }
  await es.indices.deleteIndexTemplate({ name: id }).catch(() => undefined);
  await es.close().catch(() => undefined);
}
