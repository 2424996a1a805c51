import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { restoreChangelogs, changelogKey } from '../../src/kafka/changelog-restorer.js';
import { createKafkaClient } from '@tributary/kafka';
import { TopicAdmin } from '../../src/kafka/topic-admin.js';
import { uniqueName } from '../helpers/kafka-harness.js';
import { useKafkaHarness } from '../helpers/kafka-suite.js';
import { TransactionalWriter } from '../helpers/transactional-writer.js';

const brokers = inject('kafkaBrokers');

describe('restoreChangelogs against the real broker', () => {
  const { harness } = useKafkaHarness(brokers);
  const kafka = createKafkaClient({ brokers, clientId: 'restore-test' });
  const admin = new TopicAdmin(kafka);
  const topic = uniqueName('restore-changelog');

  beforeAll(async () => {
    await admin.connect();
    await admin.ensureTopics([{ topic, numPartitions: 3, replicationFactor: 1, compacted: true }]);
    harness.track(topic);
    const writer = new TransactionalWriter(harness.kafka, topic, 'restore-txn');
    await writer.connect();
    const txn = writer.txn.bind(writer);
    // partition 0: committed, aborted, committed (with a tombstone); partition 1: ends with an aborted transaction.
    await txn(
      0,
      [
        ['a', '1'],
        ['b', '1'],
      ],
      true,
    );
    await txn(0, [['c', '9']], false);
    await txn(
      0,
      [
        ['a', '2'],
        ['b', null],
      ],
      true,
    );
    await txn(1, [['x', '1']], true);
    await txn(
      1,
      [
        ['x', '7'],
        ['y', '7'],
      ],
      false,
    );
    await writer.disconnect();
  });

  afterAll(async () => {
    await admin.disconnect();
  });

  it('reads committed entries only, keeps the latest per key (no superseded entries, no tombstoned keys), and stops at the end offset behind transaction markers', async () => {
    const result = await restoreChangelogs(
      kafka,
      admin,
      [0, 1, 2].map((partition) => ({ store: 'counts', topic, partition })),
      { groupIdPrefix: uniqueName('restore'), maxWaitTimeInMs: 100, timeoutMs: 30_000 },
    );
    const show = (p: number) =>
      result.entries.get(changelogKey(topic, p))!.map((e) => [e.key, e.value?.toString() ?? null, e.store]);
    expect(show(0)).toEqual([['a', '2', 'counts']]);
    expect(show(1)).toEqual([['x', '1', 'counts']]);
    expect(show(2)).toEqual([]);
    expect(result.records).toBe(5);
  });

  it('returns at once for empty partitions without joining a group', async () => {
    const result = await restoreChangelogs(kafka, admin, [{ store: 'counts', topic, partition: 2 }], {
      groupIdPrefix: uniqueName('restore'),
      maxWaitTimeInMs: 100,
      timeoutMs: 30_000,
    });
    expect(result.records).toBe(0);
    expect(result.entries.get(changelogKey(topic, 2))).toEqual([]);
  });
});
