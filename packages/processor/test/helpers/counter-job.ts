import type { Message } from '@tributary/kafka';
import type { StreamJobOptions } from '../../src/config/stream-job-options.js';
import { changelogTopic } from '../../src/kafka/topic-names.js';
import { counterTaskFactory } from '../fixtures/counter-task.mjs';
import type { CounterJobConfig } from './child-job.js';
import type { KafkaHarness } from './kafka-harness.js';
import { uniqueName } from './kafka-harness.js';

/** Unique names of one counter-job run: its input topic, its results topic and its application id. */
export interface CounterJobNames {
  readonly input: string;
  readonly results: string;
  readonly applicationId: string;
}

export interface CounterJobSetup {
  /** Partitions of the input topic. */
  readonly partitions: number;
  /** Records produced to the input topic once it exists (none if omitted). */
  readonly messages?: Message[];
  readonly compression?: number;
}

/**
 * Names a counter-job run `<prefix>-in|out|app`, registers its group, results and changelog topic for cleanup,
 * creates the input topic and (optionally) produces the input records.
 */
export async function setUpCounterJob(
  harness: KafkaHarness,
  groups: string[],
  prefix: string,
  setup: CounterJobSetup,
): Promise<CounterJobNames> {
  const names: CounterJobNames = {
    input: uniqueName(`${prefix}-in`),
    results: uniqueName(`${prefix}-out`),
    applicationId: uniqueName(`${prefix}-app`),
  };
  groups.push(names.applicationId);
  harness.track(names.results, changelogTopic(names.applicationId, 'counts'));
  await harness.createTopic(names.input, setup.partitions);
  if (setup.messages !== undefined) await harness.produce(names.input, setup.messages, setup.compression);
  return names;
}

/** Config of a counter job in a child process (see `ChildJob`) over the topics of `names`. */
export function childCounterJobConfig(
  brokers: string[],
  names: CounterJobNames,
  delayMs: number,
): CounterJobConfig {
  return {
    brokers,
    applicationId: names.applicationId,
    input: names.input,
    results: names.results,
    delayMs,
    sessionTimeoutMs: 6_000,
    commitIntervalMs: 100,
  };
}

/** In-process counter-job options over the topics of `names`: results to `results`, quiet logging. */
export function counterJobOptions(brokers: string[], names: CounterJobNames) {
  return {
    applicationId: names.applicationId,
    brokers,
    input: { topic: names.input },
    outputs: { results: names.results },
    taskFactory: counterTaskFactory(),
    logLevel: 'nothing',
  } satisfies Partial<StreamJobOptions>;
}
