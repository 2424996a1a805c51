import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DedupStore } from '../../src/dedup/dedup-store.js';
import { createKafkaClient } from '@tributary/kafka';
import { TransactionalCommitter } from '../../src/kafka/partition-committer.js';
import { TopicAdmin } from '../../src/kafka/topic-admin.js';
import { uniqueName } from '../helpers/kafka-harness.js';
import { useKafkaHarness } from '../helpers/kafka-suite.js';

const brokers = inject('kafkaBrokers');

describe('TransactionalCommitter against the real broker', () => {
  const { harness, groups } = useKafkaHarness(brokers);
  const kafka = createKafkaClient({ brokers, clientId: 'committer-test' });
  const admin = new TopicAdmin(kafka);
  const input = uniqueName('committer-input');
  const changelog = uniqueName('committer-dedup-changelog');
  const groupId = uniqueName('committer-group');
  groups.push(groupId);

  beforeAll(async () => {
    await admin.connect();
    await admin.ensureTopics([
      { topic: input, numPartitions: 1, replicationFactor: 1 },
      { topic: changelog, numPartitions: 1, replicationFactor: 1, compacted: true },
    ]);
    harness.track(input, changelog);
  });

  afterAll(async () => {
    await admin.disconnect();
  });

  it('commits a dedup changelog far above 1 MB for one partition in one transaction; it restores', async () => {
    // One wide bucket: 30 000 ids make ~29 records of ~64 KiB (~1.8 MB) for the same changelog partition.
    const opts = { name: 'd', ttlMs: 600_000, bucketMs: 600_000 };
    const store = new DedupStore(opts);
    for (let i = 0; i < 30_000; i++) store.accept(`event-${String(i).padStart(32, '0')}`, i, 1_000);
    const entries = store.drainChangelog();
    expect(entries.length).toBeGreaterThan(16);

    const committer = new TransactionalCommitter(kafka, {
      transactionalId: uniqueName('committer-txn'),
      consumerGroupId: groupId,
      transactionTimeoutMs: 60_000,
    });
    await committer.open();
    try {
      await committer.commit({
        topicMessages: [
          {
            topic: changelog,
            messages: entries.map((e) => ({ key: e.key, value: e.value, partition: 0 })),
          },
        ],
        offset: { topic: input, partition: 0, offset: 30_000 },
      });
    } finally {
      await committer.close();
    }

    const read = await harness.readAll(changelog, { expected: entries.length, settleMs: 500 });
    expect(read.map((r) => r.key)).toEqual(entries.map((e) => e.key));
    const restored = new DedupStore(opts);
    for (const r of read) restored.restoreEntry({ store: 'd', key: r.key, value: r.value });
    expect(restored.size.entries).toBe(30_000);
    expect(restored.check(`event-${String(12_345).padStart(32, '0')}`, 12_345, 2_000)).toBe('replay');
    expect(restored.check(`event-${String(12_345).padStart(32, '0')}`, 99_999, 2_000)).toBe('duplicate');
    expect((await harness.committedOffsets(groupId, input)).get(0)).toBe('30000');
  });
});
