import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createStreamJob } from '../../src/runtime/stream-job.js';
import { changelogTopic } from '../../src/kafka/topic-names.js';
import { counterTaskFactory } from '../fixtures/counter-task.mjs';
import { KafkaHarness, counterMismatches, countsPerKey, keyedMessages, uniqueName } from '../helpers/kafka-harness.js';

const brokers = inject('kafkaBrokers');
const N = 2_000;
const KEYS = 37;

describe('createStreamJob against the real broker', () => {
  const harness = new KafkaHarness(brokers);
  const groups: string[] = [];

  beforeAll(async () => {
    await harness.connect();
  });
  afterAll(async () => {
    await harness.cleanup(groups);
  });

  for (const guarantee of ['exactly-once', 'at-least-once'] as const) {
    it(`counts every keyed record once (${guarantee}) and commits the input offsets`, async () => {
      const input = uniqueName('proc-in');
      const results = uniqueName('proc-out');
      const applicationId = uniqueName('proc-app');
      groups.push(applicationId);
      harness.track(results, changelogTopic(applicationId, 'counts'));
      await harness.createTopic(input, 4);
      await harness.produce(input, keyedMessages(N, KEYS));

      const job = createStreamJob({
        applicationId,
        brokers,
        input: { topic: input },
        outputs: { results },
        taskFactory: counterTaskFactory(),
        commitIntervalMs: 100,
        processingGuarantee: guarantee,
      });
      await job.start();
      try {
        const records = await harness.readAll(results, { expected: N });
        expect(counterMismatches(records, countsPerKey(N, KEYS))).toEqual([]);
        expect(records).toHaveLength(N);
        expect(job.metrics.recordsIn).toBe(N);
        expect(job.metrics.commits).toBeGreaterThan(0);
        expect(job.ownedPartitions()[applicationId]).toEqual([0, 1, 2, 3]);
      } finally {
        await job.stop();
      }
      const committed = await harness.committedOffsets(applicationId, input);
      const ends = await harness.endOffsets(input);
      for (const [partition, end] of ends) expect(committed.get(partition)).toBe(end);
      expect(job.state).toBe('stopped');
    });
  }
});
