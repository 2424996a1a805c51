import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EnrichmentTable } from '../../src/enrichment/enrichment-table.js';
import { TableLoader } from '../../src/enrichment/table-loader.js';
import { CompactedTopicSource } from '../../src/kafka/compacted-topic-source.js';
import { createKafkaClient } from '@tributary/kafka';
import { TopicAdmin } from '../../src/kafka/topic-admin.js';
import { uniqueName } from '../helpers/kafka-harness.js';
import { useKafkaHarness } from '../helpers/kafka-suite.js';
import { TransactionalWriter } from '../helpers/transactional-writer.js';

const brokers = inject('kafkaBrokers');

describe('TableLoader over CompactedTopicSource against the real broker', () => {
  const { harness } = useKafkaHarness(brokers);
  const kafka = createKafkaClient({ brokers, clientId: 'table-test' });
  const admin = new TopicAdmin(kafka);
  const topic = uniqueName('table-pages');
  const writer = new TransactionalWriter(harness.kafka, topic, 'table-txn');
  const txn = writer.txn.bind(writer);

  beforeAll(async () => {
    await admin.connect();
    await admin.ensureTopics([{ topic, numPartitions: 2, replicationFactor: 1, compacted: true }]);
    harness.track(topic);
    await writer.connect();
    // partition 0: committed, aborted, committed (update + tombstone); partition 1 ends with an aborted transaction.
    await txn(
      0,
      [
        ['/a', '{"category":"x"}'],
        ['/b', '{"category":"y"}'],
      ],
      true,
    );
    await txn(0, [['/a', '{"category":"aborted"}']], false);
    await txn(
      0,
      [
        ['/a', '{"category":"x2"}'],
        ['/b', null],
      ],
      true,
    );
    await txn(1, [['/c', '{"category":"z"}']], true);
    await txn(1, [['/c', '{"category":"aborted"}']], false);
  });

  afterAll(async () => {
    await writer.disconnect();
    await admin.disconnect();
  });

  it('loads every partition read_committed past the transaction markers, then follows new records', async () => {
    const table = new EnrichmentTable<{ category: string }>();
    const source = new CompactedTopicSource(kafka, admin, {
      topic,
      groupIdPrefix: uniqueName('tt'),
      maxWaitTimeInMs: 100,
      restartTimeoutMs: 60_000,
    });
    const loader = new TableLoader({ name: topic, source, table });
    await loader.start();
    try {
      expect(loader.stats).toMatchObject({ loaded: true, loadedRecords: 5 });
      expect(table.lookup('/a')).toEqual({ category: 'x2' });
      expect(table.lookup('/b')).toBeUndefined();
      expect(table.lookup('/c')).toEqual({ category: 'z' });

      await txn(1, [['/d', '{"category":"new"}']], true);
      const deadline = Date.now() + 20_000;
      while (table.lookup('/d') === undefined && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(table.lookup('/d')).toEqual({ category: 'new' });
      expect(loader.stats.updates).toBe(1);
    } finally {
      await loader.stop();
    }
  });
});
