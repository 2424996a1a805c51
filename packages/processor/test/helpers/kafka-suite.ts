import { afterAll, beforeAll } from 'vitest';
import { KafkaHarness } from './kafka-harness.js';

export interface KafkaSuite {
  readonly harness: KafkaHarness;
  /** Consumer groups to delete after all tests; push the groups the tests create. */
  readonly groups: string[];
}

/**
 * A `KafkaHarness` for the enclosing `describe`: connected before all tests; after all tests it deletes `groups`,
 * the tracked topics and every topic starting with one of `prefixes`. `afterAll` hooks registered after this call
 * run before that cleanup (vitest runs after-hooks in reverse order).
 */
export function useKafkaHarness(brokers: string[], prefixes: string[] = []): KafkaSuite {
  const harness = new KafkaHarness(brokers);
  const groups: string[] = [];
  beforeAll(async () => {
    await harness.connect();
  });
  afterAll(async () => {
    await harness.cleanup(groups, prefixes);
  });
  return { harness, groups };
}
