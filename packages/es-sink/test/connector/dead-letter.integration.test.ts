import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKafkaEsConnector, type KafkaEsConnector } from '../../src/connector/kafka-es-connector.js';
import { DEAD_LETTER_HEADERS as H } from '../../src/connector/dead-letter-record.js';
import type { SinkError } from '../../src/errors.js';
import { ConnectorFixture, waitFor } from '../helpers/connector-fixture.js';

const fixture = new ConnectorFixture(inject('kafkaBrokers'), inject('elasticsearchUrl'));

beforeAll(() => fixture.open());
afterAll(() => fixture.close());

/** Strict mappings: a string in `n` is a `document_parsing_exception` (400), an unknown field a strict error. */
const MAPPINGS = {
  dynamic: 'strict',
  properties: { id: { type: 'keyword' }, n: { type: 'integer' } },
};

/** A JSON connector of `topic` into `index` (id from field `id`, version from the offset). */
function jsonConnector(
  topic: string,
  groupId: string,
  index: string,
  extra: Partial<Parameters<typeof createKafkaEsConnector>[0]> = {},
): KafkaEsConnector {
  return createKafkaEsConnector({
    brokers: fixture.brokers,
    topic,
    groupId,
    format: 'json',
    idField: 'id',
    commitIntervalMs: 200,
    ...extra,
    sink: {
      node: fixture.esUrl,
      index,
      flushIntervalMs: 100,
      template: { name: index, indexPatterns: [index], mappings: MAPPINGS, replicas: 0 },
    },
  });
}

const json = (doc: Record<string, unknown>): Buffer => Buffer.from(JSON.stringify(doc));

/** Resolves with the connector's failure, or rejects after `timeoutMs`. */
function failureOf(connector: KafkaEsConnector, timeoutMs = 60_000): Promise<SinkError> {
  return Promise.race([
    connector.failure,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`the connector did not fail within ${timeoutMs} ms`)), timeoutMs),
    ),
  ]);
}

describe('records Elasticsearch refuses for good', () => {
  it('go to the default dead-letter topic (created by the connector) with the reason, then their offsets commit', async () => {
    const topic = await fixture.createTopic('es-sink-refused', 1);
    const dlq = fixture.own(`${topic}-dlq`);
    const index = topic;
    const groupId = `${topic}-group`;
    expect(await fixture.admin.listTopics()).not.toContain(dlq);
    const longId = `x${'y'.repeat(600)}`;
    await fixture.send(topic, [
      { key: 'a', value: json({ id: 'a', n: 1 }) },
      { key: 'b', value: json({ id: 'b', n: 'not a number' }) }, // mapping conflict: 400 from Elasticsearch
      { key: 'c', value: json({ id: 'c', n: 3 }) },
      { key: 'long', value: json({ id: longId, n: 4 }) }, // _id over 512 bytes: refused before sending
      { key: 'd', value: json({ id: 'd', n: 5 }) },
    ]);
    const connector = jsonConnector(topic, groupId, index);
    expect(connector.deadLetterTopic).toBe(dlq);
    await connector.start();
    try {
      await waitFor(() => fixture.allCommitted(groupId, topic), 'every offset is committed');
    } finally {
      await connector.stop();
    }
    expect(await fixture.committed(groupId, topic)).toEqual(new Map([[0, 5]]));
    expect(await fixture.count(index)).toBe(3);
    expect(connector.stats).toMatchObject({
      consumed: 5,
      deadLettered: 2,
      deadLettersWaiting: 0,
      pending: 0,
    });

    const [metadata] = (await fixture.admin.fetchTopicMetadata({ topics: [dlq] })).topics;
    expect(metadata?.partitions).toHaveLength(1);
    const letters = await fixture.read(dlq, 2);
    const byOffset = new Map(letters.map((m) => [String(m.headers?.[H.sourceOffset]), m]));
    const mapping = byOffset.get('1');
    expect(String(mapping?.key)).toBe('b');
    expect(String(mapping?.value)).toBe(JSON.stringify({ id: 'b', n: 'not a number' }));
    expect(String(mapping?.headers?.[H.errorType])).toBe('document_parsing_exception');
    expect(String(mapping?.headers?.[H.status])).toBe('400');
    expect(String(mapping?.headers?.[H.reason])).toMatch(/failed to parse field \[n\]/);
    expect(String(mapping?.headers?.[H.sourceTopic])).toBe(topic);
    expect(String(mapping?.headers?.[H.sourcePartition])).toBe('0');
    const tooLong = byOffset.get('3');
    expect(String(tooLong?.key)).toBe('long');
    expect(String(tooLong?.headers?.[H.errorType])).toBe('id_too_long');
    expect(String(tooLong?.headers?.[H.reason])).toMatch(/^document _id is 601 bytes .* limit of 512 bytes/);
    expect(tooLong?.headers?.[H.status]).toBeUndefined();
  });

  it('without a dead-letter topic fail the connector, which never commits past them (also after a restart)', async () => {
    const topic = await fixture.createTopic('es-sink-no-dlq', 1);
    const index = topic;
    const groupId = `${topic}-group`;
    await fixture.send(topic, [
      { key: 'a', value: json({ id: 'a', n: 1 }) },
      { key: 'b', value: json({ id: 'b', n: 'not a number' }) },
      { key: 'c', value: json({ id: 'c', n: 3 }) },
      { key: 'd', value: json({ id: 'd', n: 4 }) },
    ]);
    const connector = jsonConnector(topic, groupId, index, { deadLetterTopic: false });
    expect(connector.deadLetterTopic).toBe(false);
    await connector.start();
    let error: SinkError;
    try {
      error = await failureOf(connector);
      expect(error).toMatchObject({
        code: 'TRIB_SINK_RECORD_FAILED',
        record: { topic, partition: 0, offset: 1 },
        errorType: 'document_parsing_exception',
        status: 400,
      });
      expect(error.message).toMatch(
        new RegExp(
          `^record ${topic}-0@1 cannot be indexed \\(document_parsing_exception \\(400\\): .*no dead-letter topic`,
        ),
      );
      expect(connector.health()).toMatchObject({
        live: false,
        ready: false,
        details: { failure: error.message },
      });
      // Record 0 was written and is committed; record 1 never is, so neither are 2 and 3 (written or not).
      await waitFor(
        async () => (await fixture.committed(groupId, topic)).get(0) === 1,
        'offset 1 is committed',
      );
      await new Promise((r) => setTimeout(r, 1000));
      expect(await fixture.committed(groupId, topic)).toEqual(new Map([[0, 1]]));
      // Only record 1 is unacknowledged (2 and 3 are indexed but wait behind it).
      expect(connector.stats).toMatchObject({ deadLettered: 0, pending: 1 });
    } finally {
      await connector.stop();
    }
    expect(await fixture.committed(groupId, topic)).toEqual(new Map([[0, 1]]));
    expect(await fixture.admin.listTopics()).not.toContain(`${topic}-dlq`);

    // Restarted, it reads the record again and fails on it again: it is never skipped.
    const again = jsonConnector(topic, groupId, index, { deadLetterTopic: false });
    await again.start();
    try {
      expect(await failureOf(again)).toMatchObject({
        code: 'TRIB_SINK_RECORD_FAILED',
        record: { topic, partition: 0, offset: 1 },
      });
    } finally {
      await again.stop();
    }
    expect(await fixture.committed(groupId, topic)).toEqual(new Map([[0, 1]]));
  });
});
