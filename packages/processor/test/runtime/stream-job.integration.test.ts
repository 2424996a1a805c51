import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createStreamJob } from '../../src/runtime/stream-job.js';
import { CompressionTypes } from 'kafkajs';
import { registerKafkaCodecs } from '../../src/kafka/kafka-compression.js';
import { changelogTopic } from '../../src/kafka/topic-names.js';
import { counterTaskFactory } from '../fixtures/counter-task.mjs';
import {
  KafkaHarness,
  counterMismatches,
  countsPerKey,
  keyedMessages,
  uniqueName,
} from '../helpers/kafka-harness.js';

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
        logLevel: 'nothing',
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
    const input = uniqueName('proc-rs-in');
    const results = uniqueName('proc-rs-out');
    const applicationId = uniqueName('proc-rs-app');
    groups.push(applicationId);
    harness.track(results, changelogTopic(applicationId, 'counts'));
    await harness.createTopic(input, 4);
    const options = {
      applicationId,
      brokers,
      input: { topic: input },
      outputs: { results },
      taskFactory: counterTaskFactory(),
      commitIntervalMs: 100,
      logLevel: 'nothing' as const,
    };
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
    const input = uniqueName('proc-2s-in');
    const repartition = uniqueName('proc-2s-rep');
    const results = uniqueName('proc-2s-out');
    const applicationId = uniqueName('proc-2s-app');
    groups.push(applicationId, `${applicationId}-merge`);
    harness.track(
      repartition,
      results,
      changelogTopic(applicationId, 'counts'),
      changelogTopic(`${applicationId}-merge`, 'counts'),
    );
    await harness.createTopic(input, 4);
    await harness.produce(input, keyedMessages(N, KEYS));
    const job = createStreamJob({
      applicationId,
      brokers,
      input: { topic: input },
      outputs: { results, repartition },
      taskFactory: counterTaskFactory({ output: 'repartition' }),
      merge: { taskFactory: counterTaskFactory() },
      repartitionPartitions: 3,
      commitIntervalMs: 100,
      logLevel: 'nothing',
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
    const input = uniqueName('proc-ab-in');
    const results = uniqueName('proc-ab-out');
    const applicationId = uniqueName('proc-ab-app');
    groups.push(applicationId);
    harness.track(results, changelogTopic(applicationId, 'counts'));
    await harness.createTopic(input, 4);
    await harness.produce(input, keyedMessages(N, KEYS));
    const job = createStreamJob({
      applicationId,
      brokers,
      input: { topic: input },
      outputs: { results },
      taskFactory: counterTaskFactory({ poisonFirst: true }),
      commitIntervalMs: 100,
      logLevel: 'nothing',
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
    const input = uniqueName('proc-fatal-in');
    const results = uniqueName('proc-fatal-out');
    const applicationId = uniqueName('proc-fatal-app');
    groups.push(applicationId);
    harness.track(results, changelogTopic(applicationId, 'counts'));
    await harness.createTopic(input, 2);
    await harness.produce(input, keyedMessages(20, 5));
    const errors: Error[] = [];
    const job = createStreamJob({
      applicationId,
      brokers,
      input: { topic: input },
      outputs: { elsewhere: results },
      taskFactory: counterTaskFactory(), // writes to 'results', which is not mapped
      commitIntervalMs: 100,
      maxRestarts: 1,
      logLevel: 'nothing',
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
    const input = uniqueName('proc-ss-in');
    const applicationId = uniqueName('proc-ss-app');
    const results = uniqueName('proc-ss-out');
    groups.push(applicationId);
    harness.track(results, changelogTopic(applicationId, 'counts'));
    await harness.createTopic(input, 2);
    const job = createStreamJob({
      applicationId,
      brokers,
      input: { topic: input },
      outputs: { results },
      taskFactory: counterTaskFactory(),
      logLevel: 'nothing',
    });
    const starting = job.start();
    await job.stop();
    await starting;
    expect(job.state).toBe('stopped');
    expect(job.ownedPartitions()).toEqual({ [applicationId]: [] });
    await expect(job.start()).rejects.toMatchObject({ code: 'TRIB_PROC_INVALID_STATE' });
    await expect(job.done).resolves.toBeUndefined();
  });

  it('reads LZ4-compressed input (the producer default)', async () => {
    registerKafkaCodecs();
    const input = uniqueName('proc-lz4-in');
    const results = uniqueName('proc-lz4-out');
    const applicationId = uniqueName('proc-lz4-app');
    groups.push(applicationId);
    harness.track(results, changelogTopic(applicationId, 'counts'));
    await harness.createTopic(input, 4);
    await harness.produce(input, keyedMessages(1_000, KEYS), CompressionTypes.LZ4);
    const job = createStreamJob({
      applicationId,
      brokers,
      input: { topic: input },
      outputs: { results },
      taskFactory: counterTaskFactory(),
      commitIntervalMs: 100,
      logLevel: 'nothing',
    });
    await job.start();
    try {
      const records = await harness.readAll(results, { expected: 1_000 });
      expect(counterMismatches(records, countsPerKey(1_000, KEYS))).toEqual([]);
    } finally {
      await job.stop();
    }
  });
});
