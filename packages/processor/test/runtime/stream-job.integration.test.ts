import { describe, expect, inject, it } from 'vitest';
import { createStreamJob } from '../../src/runtime/stream-job.js';
import { KafkaCompressionType, registerLz4Codec } from '@tributary/kafka';
import { changelogTopic } from '../../src/kafka/topic-names.js';
import { counterTaskFactory } from '../fixtures/counter-task.mjs';
import { counterJobOptions, setUpCounterJob } from '../helpers/counter-job.js';
import { counterMismatches, countsPerKey, keyedMessages, uniqueName } from '../helpers/kafka-harness.js';
import { useKafkaHarness } from '../helpers/kafka-suite.js';

const brokers = inject('kafkaBrokers');
const N = 2_000;
const KEYS = 37;

describe('createStreamJob against the real broker', () => {
  const { harness, groups } = useKafkaHarness(brokers);

  for (const guarantee of ['exactly-once', 'at-least-once'] as const) {
    it(`counts every keyed record once (${guarantee}) and commits the input offsets`, async () => {
      const names = await setUpCounterJob(harness, groups, 'proc', {
        partitions: 4,
        messages: keyedMessages(N, KEYS),
      });
      const { input, results, applicationId } = names;

      const job = createStreamJob({
        ...counterJobOptions(brokers, names),
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

  it('restores task state from the changelog when the job restarts', async () => {
    const names = await setUpCounterJob(harness, groups, 'proc-rs', { partitions: 4 });
    const { input, results } = names;
    const options = { ...counterJobOptions(brokers, names), commitIntervalMs: 100 };
    await harness.produce(input, keyedMessages(400, KEYS));
    const first = createStreamJob(options);
    await first.start();
    await harness.readAll(results, { expected: 400, settleMs: 200 });
    await first.stop();

    await harness.produce(input, keyedMessages(400, KEYS));
    const second = createStreamJob(options);
    await second.start();
    try {
      const records = await harness.readAll(results, { expected: 800 });
      const twice = new Map([...countsPerKey(400, KEYS)].map(([key, n]) => [key, 2 * n]));
      expect(counterMismatches(records, twice)).toEqual([]);
      expect(second.metrics.restoredRecords).toBeGreaterThanOrEqual(KEYS);
      expect(second.metrics.restores).toBeGreaterThan(0);
      expect(second.metrics.recordsIn).toBe(400);
    } finally {
      await second.stop();
    }
  });

  it('runs two stages in one process: input → repartition topic → merge group', async () => {
    const names = await setUpCounterJob(harness, groups, 'proc-2s', {
      partitions: 4,
      messages: keyedMessages(N, KEYS),
    });
    const { results, applicationId } = names;
    const repartition = uniqueName('proc-2s-rep');
    groups.push(`${applicationId}-merge`);
    harness.track(repartition, changelogTopic(`${applicationId}-merge`, 'counts'));
    const job = createStreamJob({
      ...counterJobOptions(brokers, names),
      outputs: { results, repartition },
      taskFactory: counterTaskFactory({ output: 'repartition' }),
      merge: { taskFactory: counterTaskFactory() },
      repartitionPartitions: 3,
      commitIntervalMs: 100,
    });
    await job.start();
    try {
      const records = await harness.readAll(results, { expected: N });
      expect(counterMismatches(records, countsPerKey(N, KEYS))).toEqual([]);
      expect(job.ownedPartitions()).toEqual({
        [applicationId]: [0, 1, 2, 3],
        [`${applicationId}-merge`]: [0, 1, 2],
      });
      expect(job.metrics.recordsIn).toBe(2 * N);
    } finally {
      await job.stop();
    }
    const committed = await harness.committedOffsets(`${applicationId}-merge`, repartition);
    for (const [partition, end] of await harness.endOffsets(repartition))
      expect(committed.get(partition)).toBe(end);
  });

  it('fails start() clearly when the input topic does not exist', async () => {
    const job = createStreamJob({
      applicationId: uniqueName('proc-missing'),
      brokers,
      input: { topic: uniqueName('no-such-topic') },
      outputs: { results: uniqueName('never') },
      taskFactory: counterTaskFactory(),
      logLevel: 'nothing',
    });
    await expect(job.start()).rejects.toMatchObject({ code: 'TRIB_PROC_INPUT_TOPIC_MISSING' });
    expect(job.state).toBe('failed');
  });

  it('aborts a failed transaction, restarts the stage from the committed state and stays exact', async () => {
    const names = await setUpCounterJob(harness, groups, 'proc-ab', {
      partitions: 4,
      messages: keyedMessages(N, KEYS),
    });
    const { results } = names;
    const job = createStreamJob({
      ...counterJobOptions(brokers, names),
      taskFactory: counterTaskFactory({ poisonFirst: true }),
      commitIntervalMs: 100,
    });
    await job.start();
    try {
      const records = await harness.readAll(results, { expected: N });
      expect(counterMismatches(records, countsPerKey(N, KEYS))).toEqual([]);
      expect(job.metrics.commitFailures).toBeGreaterThanOrEqual(1);
      expect(job.metrics.stageRestarts).toBeGreaterThanOrEqual(1);
      expect(job.state).toBe('running');
    } finally {
      await job.stop();
    }
  });

  it('gives up after maxRestarts consecutive failures and reports TRIB_PROC_STAGE_FAILED', async () => {
    const names = await setUpCounterJob(harness, groups, 'proc-fatal', {
      partitions: 2,
      messages: keyedMessages(20, 5),
    });
    const errors: Error[] = [];
    const job = createStreamJob({
      ...counterJobOptions(brokers, names),
      outputs: { elsewhere: names.results }, // the counter task writes to 'results', which is not mapped
      commitIntervalMs: 100,
      maxRestarts: 1,
      onError: (error) => errors.push(error),
    });
    await job.start();
    await expect(job.done).rejects.toMatchObject({
      code: 'TRIB_PROC_STAGE_FAILED',
      cause: { code: 'TRIB_PROC_UNKNOWN_OUTPUT' },
    });
    expect(errors).toHaveLength(1);
    expect(job.state).toBe('failed');
    expect(job.metrics.stageRestarts).toBe(2);
  });

  it('stop() during start() waits for the start and leaves nothing running; a second start() is refused', async () => {
    const names = await setUpCounterJob(harness, groups, 'proc-ss', { partitions: 2 });
    const { applicationId } = names;
    const job = createStreamJob(counterJobOptions(brokers, names));
    const starting = job.start();
    await job.stop();
    await starting;
    expect(job.state).toBe('stopped');
    expect(job.ownedPartitions()).toEqual({ [applicationId]: [] });
    await expect(job.start()).rejects.toMatchObject({ code: 'TRIB_PROC_INVALID_STATE' });
    await expect(job.done).resolves.toBeUndefined();
  });

  it('reads LZ4-compressed input (the producer default)', async () => {
    registerLz4Codec();
    const names = await setUpCounterJob(harness, groups, 'proc-lz4', {
      partitions: 4,
      messages: keyedMessages(1_000, KEYS),
      compression: KafkaCompressionType.LZ4,
    });
    const { results } = names;
    const job = createStreamJob({ ...counterJobOptions(brokers, names), commitIntervalMs: 100 });
    await job.start();
    try {
      const records = await harness.readAll(results, { expected: 1_000 });
      expect(counterMismatches(records, countsPerKey(1_000, KEYS))).toEqual([]);
    } finally {
      await job.stop();
    }
  });
});
