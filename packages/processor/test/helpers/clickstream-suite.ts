import { beforeAll } from 'vitest';
import type { ClickstreamTopics } from './clickstream-topics.js';
import { clickstreamTopics } from './clickstream-topics.js';
import type { KafkaHarness } from './kafka-harness.js';
import { uniqueName } from './kafka-harness.js';
import { useKafkaHarness } from './kafka-suite.js';

export interface ClickstreamSuite {
  readonly harness: KafkaHarness;
  /** Unique prefix of every topic (and group) of the suite. */
  readonly suffix: string;
  readonly topics: ClickstreamTopics;
}

/**
 * A clickstream app's topics named `<uniqueName(prefix)>-…` for the enclosing `describe`: the input topic is created
 * before all tests; after all tests the groups `groups(suffix)` and every topic of the suite are deleted.
 */
export function useClickstreamSuite(
  brokers: string[],
  prefix: string,
  partitions: number,
  groups: (suffix: string) => string[],
): ClickstreamSuite {
  const suffix = uniqueName(prefix);
  const suite = useKafkaHarness(brokers, [suffix]);
  suite.groups.push(...groups(suffix));
  const topics = clickstreamTopics(suffix);
  beforeAll(async () => {
    await suite.harness.createTopic(topics.inputTopic, partitions);
  });
  return { harness: suite.harness, suffix, topics };
}
